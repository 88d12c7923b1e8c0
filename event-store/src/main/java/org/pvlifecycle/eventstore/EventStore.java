package org.pvlifecycle.eventstore;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.decider.Decider;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The event store of the service it runs in: appends events to an aggregate with optimistic
 * concurrency, writing their outbox rows in the same statement, loads an aggregate back by
 * folding its events ({@link AggregateFolds}), and runs a command through the aggregate's
 * {@link Decider} ({@link CommandTurns}). Nothing here talks to Kafka; the {@link OutboxRelay} does, afterwards.
 */
@ApplicationScoped
public class EventStore {
    private static final Logger LOG = Logger.getLogger(EventStore.class);

    @Inject
    EventStoreConfig config;
    @Inject
    Clock clock;

    @Inject
    CommandMetrics metrics;

    @Inject
    CommandQueues queues;

    @Inject
    AggregateFolds folds;

    @Inject
    CommandTurns turns;

    @Inject
    OutboxNotifications notifications;

    /** One action, so that a transaction appending several times wakes the relay once. */
    private final Runnable outboxCommitted = () -> notifications.committed();

    private static final String APPEND = "with v (event_id, version, type, topic, actor, payload) as "
            + "(select * from unnest($4::uuid[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[])), "
            + "appended as (insert into events (event_id, aggregate_id, version, type, source, actor, occurred_at, payload) "
            + "select v.event_id, $1, v.version, v.type, $2, v.actor, $3, v.payload from v "
            + "where (select coalesce(max(e.version), 0) from events e where e.aggregate_id = $1) = $10 "
            + "and ($11::uuid is null or exists (select 1 from events e "
            + "where e.aggregate_id = $1 and e.version = $10 and e.event_id = $11)) "
            + "returning event_id) "
            + "insert into outbox (event_id, topic) select v.event_id, v.topic from v join appended using (event_id)";

    /**
     * Appends {@code events} after version {@code expectedVersion} (0 for a new aggregate), joining
     * the caller's transaction when there is one. The returned envelopes carry versions
     * {@code expectedVersion + 1 ...}.
     *
     * @throws ConcurrencyConflict (as the Uni's failure) when the aggregate moved on meanwhile
     */
    public Uni<List<EventEnvelope<LifecycleEvent>>> append(String aggregateId, long expectedVersion, String actor,
            List<? extends LifecycleEvent> events) {
        return write(aggregateId, expectedVersion, actor, events);
    }

    /** {@link #append}, keeping the events' type in their envelopes. */
    private <E extends LifecycleEvent> Uni<List<EventEnvelope<E>>> write(String aggregateId, long expectedVersion,
            String actor, List<? extends E> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<EventEnvelope<E>> envelopes = envelopes(aggregateId, expectedVersion, actor, events, now());
        return insert(aggregateId, expectedVersion, null, envelopes, payloads(envelopes)).replaceWith(envelopes);
    }

    /** The clock's instant as PostgreSQL keeps it (microseconds), so what is loaded equals what was appended. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * {@code events} in their envelopes, at versions {@code after + 1 ...}.
     *
     * @throws IllegalArgumentException when an event is about another aggregate
     */
    <E extends LifecycleEvent> List<EventEnvelope<E>> envelopes(String aggregateId, long after, String actor,
            List<? extends E> events, Instant now) {
        List<EventEnvelope<E>> envelopes = new ArrayList<>(events.size());
        long version = after;
        for (E event : events) {
            EventType type = EventType.of(event);
            if (!aggregateId.equals(event.proposalId())) {
                throw new IllegalArgumentException(type.typeName() + " for " + event.proposalId()
                        + " cannot be appended to " + aggregateId);
            }
            envelopes.add(new EventEnvelope<>(EventIds.of(now), config.source(), type, aggregateId, now, ++version,
                    actor, event));
        }
        return envelopes;
    }

    /** The JSON payloads of {@code envelopes}, as {@link #insert} writes them. */
    static List<String> payloads(List<? extends EventEnvelope<?>> envelopes) {
        List<String> payloads = new ArrayList<>(envelopes.size());
        envelopes.forEach(envelope -> payloads.add(EventJson.write(envelope.data())));
        return payloads;
    }

    /**
     * Writes {@code envelopes} (versions {@code expectedVersion + 1 ...}, each with its own actor,
     * all at the first one's time) with their {@code payloads}, and their outbox rows: in the
     * current transaction, or, when there is none, as one statement that commits by itself (all of
     * it or nothing). When {@code expectedLastEvent} is given, the event at {@code expectedVersion}
     * must be that one too.
     *
     * @throws ConcurrencyConflict (as the Uni's failure) when the aggregate moved on meanwhile
     */
    <E extends LifecycleEvent> Uni<Void> insert(String aggregateId, long expectedVersion,
            UUID expectedLastEvent, List<EventEnvelope<E>> envelopes, List<String> payloads) {
        if (envelopes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int count = envelopes.size();
        UUID[] ids = new UUID[count];
        Long[] versions = new Long[count];
        String[] types = new String[count];
        String[] topics = new String[count];
        String[] actors = new String[count];
        String[] jsons = new String[count];
        for (int i = 0; i < count; i++) {
            EventEnvelope<E> envelope = envelopes.get(i);
            ids[i] = envelope.id();
            versions[i] = envelope.sequence();
            types[i] = envelope.type().typeName();
            topics[i] = envelope.type().topic();
            actors[i] = envelope.actor();
            jsons[i] = payloads.get(i);
        }
        // One statement, one round trip: the events and their outbox rows, written only if the
        // aggregate is still at the expected version (else nothing is written: a lost race). Two
        // writers passing the check at once collide on (aggregate_id, version) instead.
        Uni<Integer> statement = SessionSql.update(APPEND, aggregateId, config.source(),
                envelopes.get(0).time().atOffset(ZoneOffset.UTC), ids, versions, types, topics, actors, jsons,
                expectedVersion, expectedLastEvent);
        // Whether a transaction is current is asked when the statement is to run.
        return Uni.createFrom().deferred(() -> SessionSql.inTransactionOrSession()
                        ? statement.call(this::wakeTheRelayAfterCommit)
                        // Committed by itself once it answers: the relay can see the rows now.
                        : statement.invoke(rows -> {
                            if (rows == count) {
                                wakeTheRelayNow();
                            }
                        }))
                .onFailure(EventStore::isUniqueViolation)
                .transform(e -> new ConcurrencyConflict(aggregateId, expectedVersion, e))
                .flatMap(written -> written == count
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new ConcurrencyConflict(aggregateId, expectedVersion, null)));
    }

    /** After a statement that committed by itself: what it wrote stands, whatever the wake-up does. */
    private void wakeTheRelayNow() {
        try {
            outboxCommitted.run();
        } catch (RuntimeException e) {
            // Not expected (Vert.x closing under us); the relay's tick publishes the rows.
            LOG.warnf(e, "the outbox relay could not be woken after an append; its tick publishes the rows");
        }
    }

    /**
     * The relay is woken once the rows are committed, not now: it could not see them yet
     * ({@link OutboxNotifications}). In a transaction opened elsewhere than {@link SessionSql},
     * which runs nothing after its commit, a notification from the transaction itself does it
     * (delivered at its commit, but serializing it with every other that notifies).
     */
    private Uni<?> wakeTheRelayAfterCommit() {
        if (SessionSql.afterCommit(outboxCommitted)) {
            return Uni.createFrom().voidItem();
        }
        return SessionSql.select("select pg_notify($1, '')", notifications.channel());
    }

    /**
     * The path of one command: fold the aggregate with {@code decider} (or take the state this
     * instance kept, see {@link CommandTurns}), decide {@code command} on its state, append what
     * was decided at that version: in the caller's transaction when there is one, else in one
     * statement that commits by itself. A lost race is decided again on the fresh state, up to
     * {@code execution.attempts()} times in all, then fails with {@link ConcurrencyConflict} (a
     * kept state found stale is not a lost race: it is decided again on the history without using
     * an attempt). A refusal is the decider's exception, as the Uni's failure.
     *
     * <p>A request on an aggregate whose decider keeps snapshots waits for this instance's other
     * requests on the same aggregate, and may be decided with them in one turn, appended in one
     * statement ({@link CommandQueues}); its outcome is the same as if it had run alone after them.
     */
    public <C, S, E extends LifecycleEvent> Uni<Decided<S, E>> execute(Decider<C, S, E> decider, String aggregateId,
            C command, String actor, Execution execution) {
        Context context = Vertx.currentContext();
        Uni<Decided<S, E>> decided;
        // Never when the caller has a session (and maybe a transaction) of its own: a queued
        // command commits in a transaction of its own, which the caller's could wait on.
        if (execution.queued() && decider.snapshot().isPresent() && context != null
                && VertxContext.isDuplicatedContext(context)
                && !SessionSql.inTransactionOrSession()) {
            decided = queues.submit(decider, aggregateId, new CommandTurns.Turn<>(actor, state -> decider.decide(command, state)),
                    execution.attempts(), context);
        } else {
            Uni<Decided<S, E>> once = Uni.createFrom().deferred(() -> turns.decideInTurn(decider, aggregateId,
                            List.of(new CommandTurns.Turn<>(actor, state -> decider.decide(command, state))))
                    .map(outcomes -> outcomes.get(0).decided()));
            decided = execution.attempts() > 1
                    ? once.onFailure(ConcurrencyConflict.class).retry().atMost(execution.attempts() - 1)
                    : once;
        }
        return execution.counted() ? metrics.counted(command.getClass().getSimpleName(), decided) : decided;
    }

    /** Every event of the aggregate, in version order. */
    public Uni<List<EventEnvelope<LifecycleEvent>>> load(String aggregateId) {
        return folds.load(aggregateId);
    }

    /**
     * At most {@code limit} events of the aggregate after {@code version}, in version order, fewer
     * when their payloads reach {@code maxBytes} (never none while one is left): empty past the last.
     */
    public Uni<List<EventEnvelope<LifecycleEvent>>> loadPage(String aggregateId, long version, int limit,
            long maxBytes) {
        return folds.loadPage(aggregateId, version, limit, maxBytes);
    }

    /** The aggregate's state, folded from {@code initial} over its events, with its version. */
    public <S> Uni<Folded<S>> fold(String aggregateId, S initial,
            BiFunction<S, EventEnvelope<LifecycleEvent>, S> apply) {
        return folds.fold(aggregateId, initial, apply);
    }

    /**
     * The aggregate's state as {@code decider} folds it, with its version: from the state kept
     * after this instance's last command on it, or its snapshot, when the decider keeps them
     * ({@link AggregateFolds}).
     */
    public <S> Uni<Folded<S>> fold(Decider<?, S, ?> decider, String aggregateId) {
        return folds.fold(decider, aggregateId);
    }

    /** An aggregate's state and the version it was folded up to: the expected version of the next append. */
    public record Folded<S>(S state, long version) {
        public boolean exists() {
            return version > 0;
        }
    }

    /** PostgreSQL's unique_violation (23505), from the reactive client or however Hibernate wraps it. */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            EntitySessions sessions = EntitySessions.present();
            if (sessions != null && sessions.isConstraintViolation(t)) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && message.contains("23505")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
