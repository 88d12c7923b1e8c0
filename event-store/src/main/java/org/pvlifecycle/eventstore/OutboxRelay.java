package org.pvlifecycle.eventstore;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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
    /** When this relay last saw that it holds the lease (System.nanoTime()), or 0: not held then. */
    private volatile long leaseSeenAt;
    private BackgroundLoop loop;
    /**
     * The oldest outbox row this relay last found waiting, and since when (System.nanoTime()) it
     * has found that same row first: an age that grows only while that row stays, because Kafka
     * refuses it or the relay cannot run, and not from the event's own time (another clock, and
     * long past for an event a consumer appends late on purpose). Null when the last look found
     * nothing, or found the lease held by another relay, which reports the backlog itself.
     */
    private volatile Waiting oldestWaiting;

    private record Waiting(long outboxId, long since) {
    }

    @Inject
    MeterRegistry registry;

    @PostConstruct
    void createLoop() {
        loop = new BackgroundLoop("the outbox relay", vertx, config.pollInterval(), this::publishBatch);
        TimeGauge.builder("pvl.outbox.oldest.waiting", this, TimeUnit.NANOSECONDS, OutboxRelay::oldestWaitingNanos)
                .description("How long the outbox relay has found the same oldest event unpublished; 0 when none waits")
                .register(registry);
    }

    private double oldestWaitingNanos() {
        Waiting waiting = oldestWaiting;
        return waiting == null ? 0 : System.nanoTime() - waiting.since();
    }

    /** Notes the oldest row found waiting (or none), keeping the time it was first found. */
    private void foundWaiting(Pending oldest) {
        Waiting before = oldestWaiting;
        oldestWaiting = oldest == null ? null
                : before != null && before.outboxId() == oldest.id() ? before : new Waiting(oldest.id(), System.nanoTime());
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
            pool.withConnection(connection -> connection
                            .preparedQuery("update outbox_lease set expires_at = now() where name = 'relay' and holder = $1")
                            .execute(io.vertx.mutiny.sqlclient.Tuple.of(holder)))
                    .await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf("the outbox lease was not given up at the stop (%s); it runs out by itself", e.getMessage());
        }
    }

    /**
     * A run soon: when outbox rows committed, here or in another instance ({@link OutboxNotifications}). The loop's own tick
     * ({@code pvl.outbox.poll-interval}) is the safety net for what a wake-up missed: a crash
     * between commit and publish, Kafka away, the notifications' connection down.
     */
    void wake() {
        loop.wake();
    }

    /** One batch, oldest first; there may be more when a whole batch, full or cut at its bytes, went out. */
    private Uni<Boolean> publishBatch() {
        return claimBatch().flatMap(claimed -> publish(claimed.pending()).map(published -> {
            List<Pending> pending = claimed.pending();
            if (published < pending.size()) {
                foundWaiting(pending.get(published));
            } else if (!claimed.more()) {
                foundWaiting(null);
            }
            return published == pending.size() && claimed.more();
        }));
    }

    /** The rows claimed; {@code more}: they stopped at the batch's size or bytes, so others may wait. */
    record Claimed(List<Pending> pending, boolean more) {
    }

    /** An outbox row with what its message needs of its event. */
    record Pending(long id, String topic, UUID eventId, String aggregateId, long version, String type, String source,
            String actor, OffsetDateTime occurredAt, String payload) {
    }

    /**
     * Takes (or renews, or just holds) the lease and reads the oldest rows, in one statement outside any session:
     * it runs several times a second under load, and through Hibernate its entity loading was a
     * good part of a busy service's CPU. No rows when another relay holds the lease. On a
     * connection of the pool rather than on the pool itself: a query on the pool made while
     * PostgreSQL is away has Vert.x fail it twice (the refusal, then its connect timeout), an
     * uncaught "Result is already complete" on the event loop each time.
     */
    private Uni<Claimed> claimBatch() {
        long maxBytes = config.batchBytes().asLongValue();
        return pool.withConnection(connection -> connection.preparedQuery(CLAIM_BATCH)
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(holder, (double) config.lease().toSeconds(),
                        config.batchSize(), maxBytes)))
                .map(rows -> {
                    List<Pending> batch = new ArrayList<>(rows.size());
                    boolean holds = false;
                    long running = 0;
                    for (io.vertx.mutiny.sqlclient.Row row : rows) {
                        holds = row.getBoolean(0);
                        if (row.getLong(1) != null) {
                            batch.add(new Pending(row.getLong(1), row.getString(2), row.getUUID(3), row.getString(4),
                                    row.getLong(5), row.getString(6), row.getString(7), row.getString(8),
                                    row.getOffsetDateTime(9), row.getString(10)));
                            running = row.getLong(11);
                        }
                    }
                    leaseSeenAt = holds ? System.nanoTime() : 0;
                    foundWaiting(batch.isEmpty() ? null : batch.get(0));
                    return new Claimed(batch, batch.size() == config.batchSize() || running >= maxBytes);
                })
                .onFailure().invoke(failure -> {
                    // Cannot look (the database away from this instance): once this relay can no
                    // longer count on its lease, another may be publishing, and what it last
                    // found is no longer its to report.
                    if (!holdsLease()) {
                        foundWaiting(null);
                    }
                });
    }

    /**
     * Whether this relay held the lease when it last looked, less than half a lease ago: it will
     * publish what commits here now, so nobody else needs telling ({@link OutboxNotifications}).
     */
    boolean holdsLease() {
        long seen = leaseSeenAt;
        return seen != 0 && System.nanoTime() - seen < config.lease().toNanos() / 2;
    }

    // Taken when it has run out; renewed by its holder only once half of it is spent, so a run
    // of the relay that holds a fresh lease writes nothing: no commit to flush to disk at each
    // wake-up under load, nor at each tick of an idle service. The plain read of the lease sees
    // it as it was before the statement; the update's own answer says when it was taken now. Two
    // relays taking a lease that ran out at once: the second's update waits for the first's, finds
    // it no longer run out and changes nothing, and neither of its reads says it holds it. The
    // first column says whether this relay holds the lease; a row of it alone when no rows wait.
    // The rows stop at the batch's size, or at the one that brings their payloads to $4 bytes
    // (their stored sizes, known without reading them; the last column sums them).
    static final String CLAIM_BATCH = """
            with taken as (
                update outbox_lease set holder = $1, expires_at = now() + make_interval(secs => $2)
                where name = 'relay' and (expires_at < now()
                    or holder = $1 and expires_at < now() + make_interval(secs => $2 / 2))
                returning name),
            held as (
                select name from outbox_lease where name = 'relay' and holder = $1 and expires_at >= now()
                union all select name from taken),
            lease as (select exists (select from held) as holds)
            select lease.holds, b.* from lease left join lateral (
                select id, topic, event_id, aggregate_id, version, type, source, actor, occurred_at, payload, running
                from (select o.id, o.topic, e.event_id, e.aggregate_id, e.version, e.type, e.source, e.actor,
                           e.occurred_at, e.payload, octet_length(e.payload) as bytes,
                           sum(octet_length(e.payload)) over (order by o.id) as running
                      from outbox o join events e on e.event_id = o.event_id
                      where lease.holds
                      order by o.id limit $3) as oldest
                where running - bytes < $4) b on true
            order by b.id""";

    /** Sends the batch in order and deletes the rows of the acknowledged prefix. */
    private Uni<Integer> publish(List<Pending> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Boolean>> sends = new ArrayList<>(batch.size());
        for (Pending entry : batch) {
            sends.add(emitter.sendMessage(toMessage(entry))
                    .replaceWith(true)
                    .onFailure().invoke(this::noteKafkaFailure)
                    .onFailure().recoverWithItem(false));
        }
        return Uni.join().all(sends).andFailFast().flatMap(acked -> {
            List<Long> done = new ArrayList<>();
            for (int i = 0; i < acked.size() && acked.get(i); i++) {
                done.add(batch.get(i).id());
            }
            if (done.size() == batch.size() && kafkaFailing) {
                kafkaFailing = false;
                LOG.info("Kafka takes events again; the outbox relay is publishing");
            }
            if (done.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            return pool.withConnection(connection -> connection
                            .preparedQuery("delete from outbox where id = any($1::bigint[])")
                            .execute(io.vertx.mutiny.sqlclient.Tuple.of((Object) done.toArray(Long[]::new))))
                    .replaceWith(done.size());
        });
    }

    private void noteKafkaFailure(Throwable failure) {
        if (!kafkaFailing) {
            kafkaFailing = true;
            LOG.warnf("Kafka refused an event (%s); it stays in the outbox and is retried", failure.getMessage());
        }
    }

    static Message<String> toMessage(Pending event) {
        return Message.of(event.payload())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(event.topic())
                        .withKey(event.aggregateId())
                        .build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(event.eventId().toString())
                        .withSource(URI.create(event.source()))
                        .withType(event.type())
                        .withSubject(event.aggregateId())
                        .withTimestamp(event.occurredAt().atZoneSameInstant(ZoneOffset.UTC))
                        .withDataContentType(EventEnvelope.DATA_CONTENT_TYPE)
                        .withExtension(EventEnvelope.SEQUENCE, event.version())
                        .withExtension(EventEnvelope.ACTOR, event.actor())
                        .build());
    }
}
