package org.pvlifecycle.eventstore;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.UnreadableEventException;
import org.pvlifecycle.events.decider.Decider;
import org.pvlifecycle.eventstore.EventStore.Folded;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The reading half of the {@link EventStore}: an aggregate's events loaded back, and folded into
 * its state, from the state kept after this instance's last command on it ({@link KeptStates}) or
 * its snapshot when its decider keeps them, else from its first event.
 */
@ApplicationScoped
class AggregateFolds {
    private static final Logger LOG = Logger.getLogger(AggregateFolds.class);

    @Inject
    KeptStates kept;

    /** Every event of the aggregate, in version order. */
    Uni<List<EventEnvelope<LifecycleEvent>>> load(String aggregateId) {
        return loadAfter(aggregateId, 0);
    }

    /**
     * At most {@code limit} of the aggregate's events after {@code version}, in version order,
     * stopping at the one that brings their payloads to {@code maxBytes} (the first one always
     * comes): a page of a history read whole by no one, its payloads up to a MiB each.
     */
    Uni<List<EventEnvelope<LifecycleEvent>>> loadPage(String aggregateId, long version, int limit, long maxBytes) {
        return SessionSql.select("""
                        select event_id, source, type, version, actor, occurred_at, payload from (
                            select event_id, source, type, version, actor, occurred_at, payload,
                                   octet_length(payload) as bytes,
                                   sum(octet_length(payload)) over (order by version) as running
                            from events where aggregate_id = $1 and version > $2 order by version limit $3) as page
                        where running - bytes < $4 order by version""",
                        aggregateId, version, limit, maxBytes)
                .map(rows -> envelopes(aggregateId, rows));
    }

    /** The aggregate's events after {@code version}, in version order. */
    private Uni<List<EventEnvelope<LifecycleEvent>>> loadAfter(String aggregateId, long version) {
        // Plain SQL, not entities: the session manages nothing it would have to flush later, and
        // no query language is translated on the way.
        return SessionSql.select("select event_id, source, type, version, actor, occurred_at, "
                        + "payload from events where aggregate_id = $1 and version > $2 order by version",
                        aggregateId, version)
                .map(rows -> envelopes(aggregateId, rows));
    }

    /** Rows of {@code events} (event_id, source, type, version, actor, occurred_at, payload) as the contract's envelopes. */
    private static List<EventEnvelope<LifecycleEvent>> envelopes(String aggregateId, List<Object[]> rows) {
        return rows.stream().map(row -> toEnvelope((UUID) row[0], aggregateId, (String) row[1],
                (String) row[2], ((Number) row[3]).longValue(), (String) row[4], SqlTimes.instant(row[5]),
                (String) row[6])).toList();
    }

    /**
     * An event as the contract describes it. The payload was written by this service from a
     * record, so it is read straight into the record; schemas guard what comes in over Kafka.
     */
    private static EventEnvelope<LifecycleEvent> toEnvelope(UUID eventId, String aggregateId, String source,
            String type, long version, String actor, Instant occurredAt, String payload) {
        EventType eventType = EventType.byName(type)
                .orElseThrow(() -> new UnreadableEventException("unknown event type " + type + " at " + eventId));
        LifecycleEvent data = EventJson.read(payload, eventType.payloadType());
        return new EventEnvelope<>(eventId, source, eventType, aggregateId, occurredAt, version, actor, data);
    }

    /** The aggregate's state, folded from {@code initial} over its events, with its version. */
    <S> Uni<Folded<S>> fold(String aggregateId, S initial,
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

    /**
     * The aggregate's state as {@code decider} folds it, with its version. When the decider keeps
     * snapshots: from the state this instance kept after its last command on the aggregate and the
     * events after it, else from the snapshot and the events after it, else from its first event.
     */
    <S> Uni<Folded<S>> fold(Decider<?, S, ?> decider, String aggregateId) {
        Decider.Snapshot<S> snapshot = decider.snapshot().orElse(null);
        if (snapshot == null) {
            return fold(aggregateId, decider.initialState(), decider::evolve);
        }
        KeptStates.Kept<S> start = kept.get(snapshot, aggregateId);
        if (start == null) {
            return foldFromSnapshot(decider, snapshot, aggregateId);
        }
        // The id of the event at the kept version comes back too: it proves the kept state is
        // still the history's (it is absent or another event after a rollback or a replaced database).
        return SessionSql.select("select event_id, source, type, version, actor, occurred_at, "
                        + "case when version > $2 then payload end from events where aggregate_id = $1 and version >= $2 "
                        + "order by version", aggregateId, start.version())
                .flatMap(rows -> {
                    if (rows.isEmpty() || ((Number) rows.get(0)[3]).longValue() != start.version()
                            || !start.lastEventId().equals(rows.get(0)[0])) {
                        kept.forget(snapshot, aggregateId);
                        return foldFromSnapshot(decider, snapshot, aggregateId);
                    }
                    kept.counted(KeptStates.Start.KEPT);
                    return Uni.createFrom().item(evolved(decider, snapshot, aggregateId,
                            new Folded<>(start.state(), start.version()),
                            envelopes(aggregateId, rows.subList(1, rows.size()))));
                });
    }

    private <S> Uni<Folded<S>> foldFromSnapshot(Decider<?, S, ?> decider, Decider.Snapshot<S> snapshot,
            String aggregateId) {
        return SessionSql.select(
                        "select version, state from snapshots where aggregate_id = $1 and name = $2",
                        aggregateId, snapshot.name())
                .flatMap(rows -> {
                    Folded<S> read = rows.isEmpty() ? null : readSnapshot(snapshot, rows.get(0));
                    Folded<S> start = read != null ? read : new Folded<>(decider.initialState(), 0);
                    kept.counted(read != null ? KeptStates.Start.SNAPSHOT : KeptStates.Start.FIRST_EVENT);
                    return loadAfter(aggregateId, start.version())
                            .map(events -> evolved(decider, snapshot, aggregateId, start, events));
                });
    }

    /** {@code start} evolved over {@code events}; kept for the next fold when there were any. */
    private <S> Folded<S> evolved(Decider<?, S, ?> decider, Decider.Snapshot<S> snapshot, String aggregateId,
            Folded<S> start, List<EventEnvelope<LifecycleEvent>> events) {
        if (events.isEmpty()) {
            return start;
        }
        S state = start.state();
        for (EventEnvelope<LifecycleEvent> event : events) {
            state = decider.evolve(state, event);
        }
        EventEnvelope<LifecycleEvent> last = events.get(events.size() - 1);
        kept.keep(snapshot, aggregateId, new KeptStates.Kept<>(state, last.sequence(), last.id()));
        return new Folded<>(state, last.sequence());
    }

    /** A snapshot as kept, or {@code null} when it cannot be read (then the aggregate is folded whole). */
    private static <S> Folded<S> readSnapshot(Decider.Snapshot<S> snapshot, Object[] row) {
        try {
            return new Folded<>(EventJson.readState((String) row[1], snapshot.type()), ((Number) row[0]).longValue());
        } catch (RuntimeException e) {
            LOG.warnf("the %s snapshot cannot be read (%s); folding the whole history", snapshot.name(), e.getMessage());
            return null;
        }
    }
}
