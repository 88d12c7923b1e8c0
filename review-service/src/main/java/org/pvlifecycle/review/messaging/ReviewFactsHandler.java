package org.pvlifecycle.review.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.consumer.EventConsumer;
import org.pvlifecycle.consumer.EventHandler;
import org.pvlifecycle.consumer.EventRoutes;
import org.pvlifecycle.consumer.Inbox;
import org.pvlifecycle.events.Topics;

import java.util.List;
import org.pvlifecycle.review.persistence.ReviewFactsRepository;

/**
 * What the review service learns from the others: owners, stages, components and review requests
 * from the proposal service; review windows, the policy and lapses from the consensus service.
 */
@ApplicationScoped
public class ReviewFactsHandler implements EventHandler {
    // Only what the review rules need; the rest of either topic (revisions, evidence, ...) is
    // left unread.
    private final Inbox proposalEvents = Inbox.routed("proposal-events", Topics.PROPOSAL, EventRoutes.none()
            .on(ProposalSubmitted.class, (event, e) -> this.facts.submitted(e.proposalId(), e.owner(), e.components()))
            .on(StageAdvanced.class, (event, e) -> this.facts.stage(e.proposalId(), e.to()))
            .on(ReviewRequested.class, (event, e) -> this.facts.reviewRequested(e.proposalId(), e.stage(), event.time()))
            .on(ProposalWithdrawn.class, (event, e) -> this.facts.stage(e.proposalId(), Stage.WITHDRAWN)));
    private final Inbox consensusEvents = Inbox.routed("consensus-events", Topics.CONSENSUS, EventRoutes.none()
            .on(EligibilityChanged.class, (event, e) -> this.facts.window(e.proposalId(), e.stage(), e.windowEndsAt()))
            .on(PolicyChanged.class, (event, e) -> this.facts.policy(e.version(), e))
            .on(ObjectionLapsed.class, (event, e) -> this.facts.lapsed(e.proposalId(), e.objectionId(), event.time())))
            // The policy and the lapses are entities (a window is a plain statement, which joins
            // the session's transaction).
            .withEntities();

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
}
