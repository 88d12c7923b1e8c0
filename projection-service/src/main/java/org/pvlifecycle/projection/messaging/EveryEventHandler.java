package org.pvlifecycle.projection.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.consumer.EventConsumer;
import org.pvlifecycle.consumer.EventHandler;
import org.pvlifecycle.consumer.Inbox;
import org.pvlifecycle.projection.domain.ProposalHistory;
import org.pvlifecycle.projection.persistence.EventLogTail;
import org.pvlifecycle.projection.persistence.ReadModelChanges;
import org.pvlifecycle.projection.persistence.ProposalFolds;
import org.pvlifecycle.projection.persistence.ProjectionRepository;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every topic, into the projection's log and its list model: the log rows, the refreshed summaries
 * and the inbox rows commit together, so a crash neither applies an event twice nor skips one.
 */
@ApplicationScoped
public class EveryEventHandler implements EventHandler {
    private final Inbox proposalEvents = inbox("proposal-events", Topics.PROPOSAL);
    private final Inbox reviewEvents = inbox("review-events", Topics.REVIEW);
    private final Inbox consensusEvents = inbox("consensus-events", Topics.CONSENSUS);
    private final Inbox notificationEvents = inbox("notification-events", Topics.NOTIFICATION);

    @Inject
    EventConsumer consumer;

    @Inject
    ProjectionRepository repository;

    /** Told after each batch is applied, so the live streams send its events at once. */
    @Inject
    EventLogTail tail;

    @Inject
    ReadModelChanges readModel;

    @Inject
    Clock clock;

    @Inject
    ProposalFolds folds;

    @Inject
    MeterRegistry registry;

    @Incoming("proposal-events")
    public Uni<Void> onProposalEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(proposalEvents, batch).invoke(tail::wake);
    }

    @Incoming("review-events")
    public Uni<Void> onReviewEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(reviewEvents, batch).invoke(tail::wake);
    }

    @Incoming("consensus-events")
    public Uni<Void> onConsensusEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(consensusEvents, batch).invoke(tail::wake);
    }

    @Incoming("notification-events")
    public Uni<Void> onNotificationEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(notificationEvents, batch).invoke(tail::wake);
    }

    @Override
    public List<Inbox> inboxes() {
        return List.of(proposalEvents, reviewEvents, consensusEvents, notificationEvents);
    }

    /**
     * A transaction's events go into the log in one statement, under the holds of their proposals
     * (taken first, so that each proposal's positions follow its commits); the summary of each
     * proposal the transaction touched is refreshed once, at its end, from the whole log (kept
     * folded between refreshes, {@link ProposalFolds}): a batch of a hundred events on thirty
     * proposals refreshes thirty summaries, not a hundred.
     */
    private Inbox inbox(String channel, String topic) {
        return Inbox.ofBatches(channel, topic, events -> log(events, topic))
                .lockingAhead(ids -> this.repository.holdProposals(ids))
                .finishing(this::refreshSummaries)
                // The pages and views kept from before the commit are not answered after it.
                .onCommitted(() -> readModel.mayHaveChanged());
    }

    private Uni<Void> log(List<EventEnvelope<LifecycleEvent>> events, String topic) {
        return repository.log(events, topic)
                .invoke(logged -> registry.counter("pvl.projection.events.applied", "topic", topic).increment(logged))
                .replaceWithVoid();
    }

    /** The summaries of the proposals these events concern; a policy change concerns none. */
    private Uni<Void> refreshSummaries(List<EventEnvelope<LifecycleEvent>> events) {
        Set<String> proposals = new LinkedHashSet<>();
        for (EventEnvelope<LifecycleEvent> event : events) {
            if (!(event.data() instanceof PolicyChanged)) {
                proposals.add(event.subject());
            }
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String proposal : proposals) {
            chain = chain.flatMap(v -> refreshSummary(proposal));
        }
        return chain;
    }

    private Uni<Void> refreshSummary(String proposalId) {
        return folds.current(proposalId).flatMap(refreshed -> {
            ProposalHistory history = refreshed.fold().current();
            return history == null ? Uni.createFrom().voidItem()
                    : repository.saveSummary(history, refreshed.committed(), refreshed.fold().upTo(), clock.instant());
        });
    }
}
