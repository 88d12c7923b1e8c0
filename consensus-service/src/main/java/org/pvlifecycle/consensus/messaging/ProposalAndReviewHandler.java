package org.pvlifecycle.consensus.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.pvlifecycle.consensus.ConsensusCommands;
import org.pvlifecycle.consumer.EventConsumer;
import org.pvlifecycle.consumer.EventHandler;
import org.pvlifecycle.consumer.Inbox;
import org.pvlifecycle.events.Topics;

import java.util.List;

/** Folds the proposal and review services' events into each proposal's consensus state. */
@ApplicationScoped
public class ProposalAndReviewHandler implements EventHandler {
    // A batch's events go to the commands at once: each proposal's state is read and written once
    // per batch, not once per event.
    private final Inbox proposalEvents = Inbox.ofBatches("proposal-events", Topics.PROPOSAL,
            events -> this.commands.onEvents(events));
    private final Inbox reviewEvents = Inbox.ofBatches("review-events", Topics.REVIEW,
            events -> this.commands.onEvents(events));

    @Inject
    EventConsumer consumer;

    @Inject
    ConsensusCommands commands;

    @Incoming("proposal-events")
    public Uni<Void> onProposalEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(proposalEvents, batch);
    }

    @Incoming("review-events")
    public Uni<Void> onReviewEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(reviewEvents, batch);
    }

    @Override
    public List<Inbox> inboxes() {
        return List.of(proposalEvents, reviewEvents);
    }
}
