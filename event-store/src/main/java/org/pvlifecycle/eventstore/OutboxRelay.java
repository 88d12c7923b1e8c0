package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.pvlifecycle.conventions.BackgroundLoop;
import org.pvlifecycle.events.EventEnvelope;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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

    @Inject
    OutboxConfig config;
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    @Channel("pvl-outbox")
    MutinyEmitter<String> emitter;

    @Inject
    Vertx vertx;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;




    private final String holder = UUID.randomUUID().toString();
    private volatile boolean kafkaFailing;
    private BackgroundLoop loop;

    @PostConstruct
    void createLoop() {
        loop = new BackgroundLoop("the outbox relay", vertx, this::publishBatch);
    }

    void onStart(@Observes StartupEvent event) {
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        loop.stop();
        // Give the lease up: a replica (or this service started again) publishes at once instead
        // of waiting for the lease to run out. A stop that cannot reach the database leaves it to
        // expire, as a crash does.
        try {
            pool.preparedQuery("update outbox_lease set expires_at = now() where name = 'relay' and holder = $1")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(holder)).await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf("the outbox lease was not given up at the stop (%s); it runs out by itself", e.getMessage());
        }
    }

    /** A run soon: at a tick of the {@link OutboxTicker}, and when outbox rows committed ({@link OutboxNotifications}). */
    void tick() {
        loop.wake();
    }

    /** One batch, oldest first; there may be more when a whole batch went out. */
    private Uni<Boolean> publishBatch() {
        return claimBatch().flatMap(batch -> publish(batch)
                .map(published -> published == config.batchSize() && batch.size() == config.batchSize()));
    }

    private Uni<List<OutboxEntry>> claimBatch() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "update outbox_lease set holder = :holder, expires_at = now() + make_interval(secs => :seconds) "
                                + "where name = 'relay' and (holder = :holder or expires_at < now())")
                .setParameter("holder", holder)
                .setParameter("seconds", (double) config.lease().toSeconds())
                .executeUpdate()
                .flatMap(held -> held == 0
                        ? Uni.createFrom().item(List.<OutboxEntry>of())
                        : session.createSelectionQuery("from OutboxEntry o join fetch o.event order by o.id",
                                        OutboxEntry.class)
                                .setMaxResults(config.batchSize())
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
