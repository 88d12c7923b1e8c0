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
import org.pvlifecycle.projection.persistence.ProposalViews;
import org.pvlifecycle.projection.persistence.ProjectionRepository;

import java.time.Clock;
import java.util.List;

/**
 * Every topic, into the projection's log and its list model: the log row, the refreshed summary
 * and the inbox row commit together, so a crash neither applies an event twice nor skips one.
 */
@ApplicationScoped
public class EveryEventHandler implements EventHandler {
    private final Inbox proposalEvents = new Inbox("proposal-events", Topics.PROPOSAL, e -> apply(e, Topics.PROPOSAL))
            .lockingAhead(ids -> this.repository.holdProposals(ids));
    private final Inbox reviewEvents = new Inbox("review-events", Topics.REVIEW, e -> apply(e, Topics.REVIEW))
            .lockingAhead(ids -> this.repository.holdProposals(ids));
    private final Inbox consensusEvents = new Inbox("consensus-events", Topics.CONSENSUS, e -> apply(e, Topics.CONSENSUS))
            .lockingAhead(ids -> this.repository.holdProposals(ids));
    private final Inbox notificationEvents = new Inbox("notification-events", Topics.NOTIFICATION,
            e -> apply(e, Topics.NOTIFICATION)).lockingAhead(ids -> this.repository.holdProposals(ids));

    @Inject
    EventConsumer consumer;

    @Inject
    ProjectionRepository repository;

    /** Told after each batch is applied, so the live streams send its events at once. */
    @Inject
    EventLogTail tail;

    @Inject
    Clock clock;

    @Inject
    ProposalViews views;

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

    private Uni<Void> apply(EventEnvelope<LifecycleEvent> event, String topic) {
        return repository.holdProposal(event.subject()).flatMap(held -> repository.log(event, topic)).flatMap(fresh -> {
            if (fresh) {
                registry.counter("pvl.projection.events.applied", "topic", topic).increment();
            }
            if (!fresh || event.data() instanceof PolicyChanged) {
                return Uni.createFrom().voidItem();
            }
            return repository.history(event.subject(), null).flatMap(events -> {
                ProposalHistory history = ProposalHistory.fold(events);
                return history == null ? Uni.createFrom().voidItem()
                        : repository.saveSummary(history, clock.instant(), views.document(history));
            });
        });
    }
}
