package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.decider.Decider;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The event store of the service it runs in: appends events to an aggregate with optimistic
 * concurrency, writing their outbox rows in the same transaction, loads an aggregate back by
 * folding its events, and runs a command through the aggregate's {@link Decider}. Nothing here
 * talks to Kafka; the {@link OutboxRelay} does, afterwards.
 */
@ApplicationScoped
public class EventStore {

    @Inject
    EventStoreConfig config;
    @Inject
    Clock clock;

    @Inject
    OutboxRelay relay;

    @Inject
    CommandMetrics metrics;


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
        // PostgreSQL keeps microseconds: truncate so that what is loaded equals what was appended.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> currentVersion(session, aggregateId)
                .flatMap(current -> {
                    if (current != expectedVersion) {
                        return Uni.createFrom().failure(new ConcurrencyConflict(aggregateId, expectedVersion, null));
                    }
                    List<Object> rows = new ArrayList<>();
                    List<EventEnvelope<E>> appended = new ArrayList<>();
                    long version = expectedVersion;
                    for (E event : events) {
                        EventType type = EventType.of(event);
                        if (!aggregateId.equals(event.proposalId())) {
                            throw new IllegalArgumentException(type.typeName() + " for " + event.proposalId()
                                    + " cannot be appended to " + aggregateId);
                        }
                        version++;
                        StoredEvent stored = new StoredEvent();
                        stored.eventId = UUID.randomUUID();
                        stored.aggregateId = aggregateId;
                        stored.version = version;
                        stored.type = type.typeName();
                        stored.source = config.source();
                        stored.actor = actor;
                        stored.occurredAt = now;
                        stored.payload = EventJson.write(event);
                        OutboxEntry outbox = new OutboxEntry();
                        outbox.event = stored;
                        outbox.topic = type.topic();
                        rows.add(stored);
                        rows.add(outbox);
                        appended.add(new EventEnvelope<>(stored.eventId, config.source(), type, aggregateId, now, version,
                                actor, event));
                    }
                    // Flush here, so that a lost race surfaces from append itself, inside any outer transaction.
                    return session.persistAll(rows.toArray()).call(session::flush).replaceWith(appended);
                })))
                .onFailure(EventStore::isUniqueViolation)
                .transform(e -> new ConcurrencyConflict(aggregateId, expectedVersion, e))
                .invoke(relay::wake);
    }

    /**
     * The path of one command: fold the aggregate with {@code decider}, decide {@code command} on its
     * state, append what was decided at the folded version, all in one transaction (the caller's,
     * when there is one). A lost race is decided again on the fresh state, up to
     * {@code execution.attempts()} times in all, then fails with {@link ConcurrencyConflict}. A
     * refusal is the decider's exception, as the Uni's failure.
     */
    public <C, S, E extends LifecycleEvent> Uni<Decided<S, E>> execute(Decider<C, S, E> decider, String aggregateId,
            C command, String actor, Execution execution) {
        Uni<Decided<S, E>> once = Uni.createFrom().deferred(() -> Panache.withTransaction(() -> fold(decider, aggregateId)
                .flatMap(folded -> this.<E>write(aggregateId, folded.version(), actor,
                                decider.decide(command, folded.state()))
                        .map(appended -> new Decided<>(folded.state(), appended)))));
        Uni<Decided<S, E>> retried = execution.attempts() > 1
                ? once.onFailure(ConcurrencyConflict.class).retry().atMost(execution.attempts() - 1)
                : once;
        return execution.counted() ? metrics.counted(command.getClass().getSimpleName(), retried) : retried;
    }

    /** Every event of the aggregate, in version order. */
    public Uni<List<EventEnvelope<LifecycleEvent>>> load(String aggregateId) {
        // A projection, not entities: the session manages nothing it would have to flush later,
        // which keeps a command's cost flat however long the aggregate's history grows.
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                .createSelectionQuery("select e.eventId, e.source, e.type, e.version, e.actor, e.occurredAt, e.payload "
                        + "from StoredEvent e where e.aggregateId = :id order by e.version", Object[].class)
                .setParameter("id", aggregateId)
                .getResultList()
                .map(rows -> rows.stream().map(row -> StoredEvent.toEnvelope((UUID) row[0], aggregateId,
                        (String) row[1], (String) row[2], (Long) row[3], (String) row[4], (Instant) row[5],
                        (String) row[6])).toList())));
    }

    /** The aggregate's state, folded from {@code initial} over its events, with its version. */
    public <S> Uni<Folded<S>> fold(String aggregateId, S initial,
            BiFunction<S, EventEnvelope<LifecycleEvent>, S> apply) {
        return load(aggregateId).map(events -> {
            S state = initial;
            long version = 0;
            for (EventEnvelope<LifecycleEvent> event : events) {
                state = apply.apply(state, event);
                version = event.sequence();
            }
            return new Folded<>(state, version);
        });
    }

    /** The aggregate's state as {@code decider} folds it, with its version. */
    public <S> Uni<Folded<S>> fold(Decider<?, S, ?> decider, String aggregateId) {
        return fold(aggregateId, decider.initialState(), decider::evolve);
    }

    /** An aggregate's state and the version it was folded up to: the expected version of the next append. */
    public record Folded<S>(S state, long version) {
        public boolean exists() {
            return version > 0;
        }
    }

    private static Uni<Long> currentVersion(Mutiny.Session session, String aggregateId) {
        return session.createSelectionQuery(
                        "select coalesce(max(e.version), 0) from StoredEvent e where e.aggregateId = :id", Long.class)
                .setParameter("id", aggregateId)
                .getSingleResult();
    }

    /** PostgreSQL's unique_violation (23505), however Hibernate and the driver wrap it. */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
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
