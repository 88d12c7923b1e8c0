package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.EventEnvelope;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes the outbox to Kafka: oldest row first, keyed by the aggregate (proposal) id, as
 * binary-mode CloudEvents through SmallRye's own CloudEvents support. A row is deleted only once
 * Kafka has acknowledged it, so while Kafka is down rows wait and the relay keeps trying; an
 * accepted command is never lost, and may at worst be published twice (consumers are idempotent).
 * One relay at a time holds the lease, whatever the number of replicas, which keeps each
 * aggregate's events in order.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    @Channel("pvl-outbox")
    MutinyEmitter<String> emitter;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "pvl.outbox.batch-size", defaultValue = "200")
    int batchSize;

    @ConfigProperty(name = "pvl.outbox.lease", defaultValue = "PT30S")
    Duration lease;

    /** Publish right after each append (low latency), or leave it all to the poller's next tick. */
    @ConfigProperty(name = "pvl.outbox.wake-on-append", defaultValue = "true")
    boolean wakeOnAppend;

    private final String holder = UUID.randomUUID().toString();
    private final AtomicBoolean publishing = new AtomicBoolean();
    private final AtomicBoolean wokenWhileRunning = new AtomicBoolean();
    private volatile boolean kafkaFailing;
    /** Asks for a run now, without waiting for it: called after each append. */
    public void wake() {
        if (!wakeOnAppend) {
            return;
        }
        // A context of its own: the caller's (an HTTP request's) holds the caller's session.
        Context duplicate = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(duplicate, true);
        duplicate.runOnContext(ignored -> publishPending().subscribe().with(
                published -> { },
                failure -> LOG.debugf(failure, "outbox run after wake-up failed")));
    }

    /** Publishes until the outbox is empty or Kafka refuses; returns how many were published. */
    public Uni<Integer> publishPending() {
        if (!publishing.compareAndSet(false, true)) {
            wokenWhileRunning.set(true);
            return Uni.createFrom().item(0);
        }
        return drain(0).eventually(() -> publishing.set(false));
    }

    private Uni<Integer> drain(int publishedSoFar) {
        wokenWhileRunning.set(false);
        return claimBatch().flatMap(batch -> publish(batch).flatMap(published -> {
            int total = publishedSoFar + published;
            boolean more = published == batch.size() && (batch.size() == batchSize || wokenWhileRunning.get());
            return more && !batch.isEmpty() ? drain(total) : Uni.createFrom().item(total);
        }));
    }

    private Uni<List<OutboxEntry>> claimBatch() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "update outbox_lease set holder = :holder, expires_at = now() + make_interval(secs => :seconds) "
                                + "where name = 'relay' and (holder = :holder or expires_at < now())")
                .setParameter("holder", holder)
                .setParameter("seconds", (double) lease.toSeconds())
                .executeUpdate()
                .flatMap(held -> held == 0
                        ? Uni.createFrom().item(List.<OutboxEntry>of())
                        : session.createSelectionQuery("from OutboxEntry o join fetch o.event order by o.id",
                                        OutboxEntry.class)
                                .setMaxResults(batchSize)
                                .getResultList())));
    }

    /** Sends the batch in order and deletes the rows of the acknowledged prefix. */
    private Uni<Integer> publish(List<OutboxEntry> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Boolean>> sends = new ArrayList<>(batch.size());
        for (OutboxEntry entry : batch) {
            sends.add(emitter.sendMessage(toMessage(entry))
                    .replaceWith(true)
                    .onFailure().invoke(this::noteKafkaFailure)
                    .onFailure().recoverWithItem(false));
        }
        return Uni.join().all(sends).andFailFast().flatMap(acked -> {
            List<Long> done = new ArrayList<>();
            for (int i = 0; i < acked.size() && acked.get(i); i++) {
                done.add(batch.get(i).id);
            }
            if (done.size() == batch.size() && kafkaFailing) {
                kafkaFailing = false;
                LOG.info("Kafka takes events again; the outbox relay is publishing");
            }
            if (done.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            return Panache.withTransaction(() -> OutboxEntry.delete("id in ?1", done)).replaceWith(done.size());
        });
    }

    private void noteKafkaFailure(Throwable failure) {
        if (!kafkaFailing) {
            kafkaFailing = true;
            LOG.warnf("Kafka refused an event (%s); it stays in the outbox and is retried", failure.getMessage());
        }
    }

    static Message<String> toMessage(OutboxEntry entry) {
        StoredEvent event = entry.event;
        return Message.of(event.payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(entry.topic)
                        .withKey(event.aggregateId)
                        .build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(event.eventId.toString())
                        .withSource(URI.create(event.source))
                        .withType(event.type)
                        .withSubject(event.aggregateId)
                        .withTimestamp(event.occurredAt.atZone(ZoneOffset.UTC))
                        .withDataContentType(EventEnvelope.DATA_CONTENT_TYPE)
                        .withExtension(EventEnvelope.SEQUENCE, event.version)
                        .withExtension(EventEnvelope.ACTOR, event.actor)
                        .build());
    }
}
