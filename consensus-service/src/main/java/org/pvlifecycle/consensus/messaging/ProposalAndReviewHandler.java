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
    private final Inbox proposalEvents = new Inbox("proposal-events", Topics.PROPOSAL, e -> this.commands.onEvent(e))
            .lockingAhead(ids -> this.commands.lockAll(ids));
    private final Inbox reviewEvents = new Inbox("review-events", Topics.REVIEW, e -> this.commands.onEvent(e))
            .lockingAhead(ids -> this.commands.lockAll(ids));

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
