package org.pvlifecycle.consumer;

import jakarta.inject.Inject;
import org.pvlifecycle.conventions.DependencyDown;
import org.pvlifecycle.eventstore.SessionSql;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.UnreadableEventException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The consuming half of the event store, for {@code @Incoming} handlers. It reads the message,
 * applies the effect once per consumer (the inbox row and the effect share one transaction) and
 * acknowledges only once that transaction has committed.
 * <p>
 * A channel takes its records in batches ({@link #handleBatch}): the events of a batch, their
 * inbox rows and their effects commit together, one transaction instead of one per event. Should
 * a record of the batch be unreadable, or the batch's transaction fail for any reason, nothing of
 * it was applied, and its records go one by one through the path of a single message:
 * <ul>
 * <li>A message whose type its inbox does not take ({@link Inbox#takes}) is acknowledged unread;
 * one read that has nothing to do here ({@link Inbox#concerns}), without a transaction.
 * <li>A message it cannot read is nacked with the reason, which the channel's
 * {@code dead-letter-queue} failure strategy puts on {@code <topic>.dlq}, and the consumer goes on.
 * <li>An effect that fails because PostgreSQL is away (see {@link DependencyDown}) is tried again,
 * with a growing pause, until the database answers: the message is neither acknowledged nor
 * dead-lettered meanwhile, and the partition waits behind it, keeping each proposal's order.
 * <li>An effect whose command lost the race to its aggregate's next version (a request on the
 * same aggregate committed first) is tried again after a short pause without using its attempts
 * up: not a failure of the message's (up to {@code pvl.consumer.max-lost-races} times; more would
 * be no race but an aggregate out of step, a failure like any other).
 * <li>An effect that fails for another reason is tried a few times, then dead-lettered with its
 * reason; {@code GET /admin/dead-letters} lists it and can re-drive it.
 * <li>A message caught by the service's shutdown is left unacknowledged, for redelivery.
 * </ul>
 * Every dead letter carries the {@value #CONSUMER_HEADER} header, so each service finds its own
 * among the others' on the shared {@code <topic>.dlq}. A message's attempts, and what follows a
 * failed one, are {@link EventAttempts}'; this class takes the batches and settles each message.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    public static final String CONSUMER_HEADER = "pvl-consumer";

    @Inject
    ConsumerMeters meters;

    @Inject
    EventAttempts attempts;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    /** This service's name, which its inbox names start with. */
    public String application() {
        return application;
    }

    /** The name {@code inbox}'s rows and dead letters carry here. */
    public String nameOf(Inbox inbox) {
        return attempts.nameOf(inbox);
    }

    /**
     * Applies a batch through {@code inbox}: every event, its inbox row and its effect in one
     * transaction, in the batch's order, then the acknowledgement; otherwise record by record (see
     * the class comment). Never fails: a failure here would nack the whole batch, which the
     * channel's failure strategy would dead-letter record by record.
     */
    public Uni<Void> handleBatch(Inbox inbox, KafkaRecordBatch<?, ?> batch) {
        return settleBatch(inbox, batch).onFailure().recoverWithUni(failure -> {
            // An acknowledgement or a dead letter failed: left unacknowledged, the records come
            // again after a restart or a rebalance, and the inbox skips what was applied.
            LOG.errorf(failure, "%s: a batch of %d could not be settled; left for redelivery", nameOf(inbox),
                    batch.getRecords().size());
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> settleBatch(Inbox inbox, KafkaRecordBatch<?, ?> batch) {
        List<? extends KafkaRecord<?, ?>> records = batch.getRecords();
        String consumer = nameOf(inbox);
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        meters.batchSizes(consumer).record(records.size());
        List<KafkaRecord<?, ?>> taken = new ArrayList<>(records.size());
        for (KafkaRecord<?, ?> record : records) {
            if (inbox.takes(CloudEventReader.typeName(record))) {
                taken.add(record);
            }
        }
        if (taken.size() < records.size()) {
            meters.skipped(consumer).increment(records.size() - taken.size());
        }
        if (taken.isEmpty()) {
            // Nothing here for this consumer: acknowledged unread.
            return Uni.createFrom().completionStage(batch::ack);
        }
        if (taken.size() == 1) {
            // Nothing to gain from one transaction, and the record keeps its first retries.
            return oneByOne(inbox, batch);
        }
        List<EventEnvelope<LifecycleEvent>> events = new ArrayList<>(taken.size());
        for (KafkaRecord<?, ?> record : taken) {
            EventEnvelope<LifecycleEvent> event;
            try {
                event = CloudEventReader.read(record);
            } catch (UnreadableEventException e) {
                meters.fellBack(consumer, "unreadable").increment();
                LOG.debugf("%s: a batch of %d has an unreadable record (%s); applying them one by one", consumer,
                        records.size(), e.getMessage());
                return oneByOne(inbox, batch);
            }
            if (inbox.concernedWith(event)) {
                events.add(event);
            } else {
                meters.skipped(consumer).increment();
            }
        }
        if (events.isEmpty()) {
            // Read, and nothing in it for this consumer: acknowledged without a transaction.
            return Uni.createFrom().completionStage(batch::ack);
        }
        return applyAll(inbox, events).onItemOrFailure().transformToUni((done, failure) -> {
            if (failure == null) {
                return Uni.createFrom().completionStage(batch::ack);
            }
            if (attempts.stopping()) {
                LOG.infof("%s: a batch of %d left for redelivery after the shutdown", consumer, records.size());
                return Uni.createFrom().voidItem();
            }
            boolean outage = DependencyDown.is(failure);
            meters.fellBack(consumer, outage ? "outage" : "failed").increment();
            if (outage) {
                LOG.debugf("%s: the database is away; the batch of %d goes one by one", consumer, records.size());
            } else {
                LOG.warnf("%s: a batch of %d failed as a whole (%s); applying them one by one", consumer,
                        records.size(), failure.getMessage());
            }
            return oneByOne(inbox, batch);
        });
    }

    /**
     * One transaction for the whole batch: the inbox rows first (which of the events are new
     * here), the effect's locks for every proposal that has a new event, then the effects of the
     * new events in order, then the inbox's finish.
     */
    private Uni<Void> applyAll(Inbox inbox, List<EventEnvelope<LifecycleEvent>> events) {
        String consumer = nameOf(inbox);
        Set<UUID> ids = new LinkedHashSet<>();
        events.forEach(event -> ids.add(event.id()));
        return EventAttempts.inTransaction(inbox, () -> claimAll(consumer, ids).flatMap(claimed -> {
            Set<UUID> unapplied = new HashSet<>(claimed);
            List<EventEnvelope<LifecycleEvent>> fresh = new ArrayList<>();
            for (EventEnvelope<LifecycleEvent> event : events) {
                // remove: a second copy of an event in the same batch is a duplicate too.
                if (unapplied.remove(event.id())) {
                    fresh.add(event);
                }
            }
            if (fresh.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            Set<String> proposals = new TreeSet<>();
            fresh.forEach(event -> proposals.add(event.subject()));
            return inbox.lockAhead().apply(List.copyOf(proposals))
                    .flatMap(locked -> inbox.effects().apply(List.copyOf(fresh)))
                    .flatMap(applied -> inbox.finish().apply(List.copyOf(fresh)))
                    .replaceWith(true);
        })).invoke(applied -> {
            if (applied) {
                inbox.committed().run();
            }
        }).replaceWithVoid();
    }

    /**
     * Each record of the batch in order, through the path of a single message. Only the last
     * record of each partition in the batch is acknowledged when it is applied: that commits the
     * partition's offset past the ones before it, applied or dead-lettered by then. SmallRye's
     * throttled commit tracks only those last records of a batch; an acknowledgement of any other
     * would stay in its memory until the partition is revoked. Stops at a record left for
     * redelivery by the shutdown, so no record after it is acknowledged.
     */
    private Uni<Void> oneByOne(Inbox inbox, KafkaRecordBatch<?, ?> batch) {
        return settleFrom(inbox, batch.getRecords(), batch.getLatestOffsetRecords().values(), Vertx.currentContext(), 0);
    }

    private Uni<Void> settleFrom(Inbox inbox, List<? extends KafkaRecord<?, ?>> records,
            Collection<? extends KafkaRecord<?, ?>> lastOfEachPartition, Context batchContext, int index) {
        if (index == records.size()) {
            return Uni.createFrom().voidItem();
        }
        if (attempts.stopping()) {
            LOG.infof("%s: %d records of a batch left for redelivery after the shutdown", nameOf(inbox),
                    records.size() - index);
            return Uni.createFrom().voidItem();
        }
        KafkaRecord<?, ?> record = records.get(index);
        boolean last = lastOfEachPartition.stream().anyMatch(candidate -> candidate == record);
        // A record's acknowledgement or dead letter completes on that record's own context, which
        // holds none of the batch's transaction (SessionSql's connection, or Hibernate Reactive's
        // session): the next record goes on on the batch's.
        return settle(inbox, record, last ? record::ack : EventConsumer::alreadyCovered)
                .emitOn(task -> onContext(batchContext, task))
                .flatMap(settled -> settled ? settleFrom(inbox, records, lastOfEachPartition, batchContext, index + 1)
                        : Uni.createFrom().voidItem());
    }

    private static void onContext(Context context, Runnable task) {
        if (context == null) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    /** A record before the last of its partition in the batch: that one's acknowledgement covers it. */
    private static CompletionStage<Void> alreadyCovered() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * One message: applied and then {@code ack}, dead-lettered, or left unacknowledged by the
     * shutdown (false).
     */
    private Uni<Boolean> settle(Inbox inbox, Message<?> message, Supplier<CompletionStage<Void>> ack) {
        if (!inbox.takes(CloudEventReader.typeName(message))) {
            return Uni.createFrom().completionStage(ack).replaceWith(true);
        }
        String consumer = nameOf(inbox);
        EventEnvelope<LifecycleEvent> event;
        try {
            event = CloudEventReader.read(message);
        } catch (UnreadableEventException e) {
            LOG.warnf("%s cannot read a message, sending it to the dead-letter topic: %s", consumer, e.getMessage());
            return deadLetter(consumer, ConsumerMeters.UNREADABLE, message, e).replaceWith(true);
        }
        if (!inbox.concernedWith(event)) {
            meters.skipped(consumer).increment();
            return Uni.createFrom().completionStage(ack).replaceWith(true);
        }
        return attempts.apply(inbox, event, 1)
                .onItemOrFailure().transformToUni((applied, failure) -> {
                    if (failure == null) {
                        return Uni.createFrom().completionStage(ack).replaceWith(true);
                    }
                    if (attempts.stopping()) {
                        // The pools are closing under us: leave the message unacknowledged, so the
                        // next instance gets it again instead of the dead-letter topic keeping it.
                        LOG.infof("%s: %s %s left for redelivery after the shutdown", consumer,
                                event.type().typeName(), event.id());
                        return Uni.createFrom().item(false);
                    }
                    LOG.errorf(failure, "%s failed to apply %s %s", consumer, event.type().typeName(), event.id());
                    return deadLetter(consumer, ConsumerMeters.FAILED, message, failure).replaceWith(true);
                });
    }

    private Uni<Void> deadLetter(String consumer, String why, Message<?> message, Throwable reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CONSUMER_HEADER, consumer.getBytes(StandardCharsets.UTF_8));
        Metadata metadata = Metadata.of(OutgoingKafkaRecordMetadata.builder().withHeaders(headers).build());
        return Uni.createFrom().completionStage(message.nack(reason, metadata))
                .invoke(() -> meters.deadLettered(consumer, why).increment());
    }

    /**
     * The ids among {@code eventIds} this consumer had not seen: their rows are inserted, in one
     * statement, and commit with the effects.
     */
    private static Uni<Set<UUID>> claimAll(String consumer, Collection<UUID> eventIds) {
        return SessionSql.select("insert into inbox (consumer, event_id) select $1, id from unnest($2::uuid[]) as claimed (id) "
                        + "on conflict do nothing returning event_id", consumer, eventIds.toArray(UUID[]::new))
                .map(rows -> rows.stream().map(row -> (UUID) row[0]).collect(Collectors.toUnmodifiableSet()));
    }
}
