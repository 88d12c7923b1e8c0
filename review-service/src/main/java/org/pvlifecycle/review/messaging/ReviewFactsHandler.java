package org.pvlifecycle.review.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.consumer.EventConsumer;
import org.pvlifecycle.consumer.EventHandler;
import org.pvlifecycle.consumer.Inbox;
import org.pvlifecycle.events.Topics;

import java.util.List;
import org.pvlifecycle.review.persistence.ReviewFactsRepository;

/**
 * What the review service learns from the others: owners, stages and components from the proposal
 * service; review windows, the policy and lapses from the consensus service.
 */
@ApplicationScoped
public class ReviewFactsHandler implements EventHandler {
    private final Inbox proposalEvents = new Inbox("proposal-events", Topics.PROPOSAL, this::apply);
    private final Inbox consensusEvents = new Inbox("consensus-events", Topics.CONSENSUS, this::apply);

    @Inject
    EventConsumer consumer;

    @Inject
    ReviewFactsRepository facts;

    @Incoming("proposal-events")
    public Uni<Void> onProposalEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(proposalEvents, batch);
    }

    @Incoming("consensus-events")
    public Uni<Void> onConsensusEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(consensusEvents, batch);
    }

    @Override
    public List<Inbox> inboxes() {
        return List.of(proposalEvents, consensusEvents);
    }

    private Uni<Void> apply(EventEnvelope<LifecycleEvent> event) {
        LifecycleEvent data = event.data();
        if (data instanceof ProposalSubmitted e) {
            return facts.submitted(e.proposalId(), e.owner(), e.components());
        }
        if (data instanceof StageAdvanced e) {
            return facts.stage(e.proposalId(), e.to());
        }
        if (data instanceof ProposalWithdrawn e) {
            return facts.stage(e.proposalId(), Stage.WITHDRAWN);
        }
        if (data instanceof EligibilityChanged e) {
            return facts.window(e.proposalId(), e.stage(), e.windowEndsAt());
        }
        if (data instanceof PolicyChanged e) {
            return facts.policy(e.version(), e);
        }
        if (data instanceof ObjectionLapsed e) {
            return facts.lapsed(e.proposalId(), e.objectionId(), event.time());
        }
        return Uni.createFrom().voidItem();
    }
}
