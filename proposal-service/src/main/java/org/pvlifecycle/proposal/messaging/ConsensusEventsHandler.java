package org.pvlifecycle.proposal.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.proposal.persistence.PolicyComponentsRepository;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.TransitionDecided;
import org.pvlifecycle.consumer.EventConsumer;
import org.pvlifecycle.consumer.EventHandler;
import org.pvlifecycle.consumer.EventRoutes;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.eventstore.Execution;
import org.pvlifecycle.consumer.Inbox;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.proposal.domain.ProposalCommand;
import org.pvlifecycle.proposal.domain.ProposalDecider;
import org.pvlifecycle.proposal.persistence.ReviewWindowRepository;

import java.util.List;

/**
 * What the proposal service learns from the consensus service: its decisions, applied as
 * {@code stage-advanced} while the proposal is still where the decision found it, and the review
 * windows it announces, so that a second review request inside a window is refused, and the
 * policy's components, so that a proposal's components can be derived from its paths.
 */
@ApplicationScoped
public class ConsensusEventsHandler implements EventHandler {
    private static final Logger LOG = Logger.getLogger(ConsensusEventsHandler.class);

    // Eligibility announcements, decisions and the policy; lapses and overdue notices are left unread.
    private final Inbox consensusEvents = Inbox.routed("consensus-events", Topics.CONSENSUS, EventRoutes.none()
            .on(TransitionDecided.class, this::applyDecision)
            .on(PolicyChanged.class, (event, policy) -> this.policyComponents.remember(policy))
            .on(EligibilityChanged.class, (event, eligibility) -> this.windows.record(eligibility.proposalId(),
                    eligibility.stage(), eligibility.windowEndsAt(), event.time())));

    @Inject
    EventConsumer consumer;

    @Inject
    EventStore store;

    @Inject
    ReviewWindowRepository windows;

    @Inject
    PolicyComponentsRepository policyComponents;

    @Incoming("consensus-events")
    public Uni<Void> onConsensusEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(consensusEvents, batch);
    }

    @Override
    public List<Inbox> inboxes() {
        return List.of(consensusEvents);
    }

    private Uni<Void> applyDecision(EventEnvelope<LifecycleEvent> event, TransitionDecided d) {
        ProposalCommand.ApplyTransition command = new ProposalCommand.ApplyTransition(event.actor(),
                event.id().toString(), d.from(), d.to(), d.decision(), d.decidedBy(), d.override(), d.rationale());
        // Runs in the consumer's transaction, with the inbox row: applied once, or not at all.
        return store.execute(ProposalDecider.DECIDER, d.proposalId(), command, command.actor(), Execution.FROM_EVENT)
                .invoke(decided -> ProposalDecider.whyTransitionIgnored(command, decided.before())
                        .ifPresent(why -> LOG.infof("ignoring transition-decided %s (%s → %s) for %s: %s", event.id(),
                                d.from(), d.to(), d.proposalId(), why)))
                .replaceWithVoid();
    }
}
