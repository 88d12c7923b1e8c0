package org.pvlifecycle.consensus.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.pvlifecycle.consensus.ConsensusProcessor;
import org.pvlifecycle.eventstore.EventConsumer;

/** Folds the proposal and review services' events into each proposal's consensus state. */
@ApplicationScoped
public class ProposalAndReviewHandler {
    @Inject
    EventConsumer consumer;

    @Inject
    ConsensusProcessor processor;

    @Incoming("proposal-events")
    public Uni<Void> onProposalEvent(Message<String> message) {
        return consumer.handle("consensus-service.proposal-events", message, processor::onEvent);
    }

    @Incoming("review-events")
    public Uni<Void> onReviewEvent(Message<String> message) {
        return consumer.handle("consensus-service.review-events", message, processor::onEvent);
    }
}
