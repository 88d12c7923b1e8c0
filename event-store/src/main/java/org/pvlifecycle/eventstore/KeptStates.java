package org.pvlifecycle.eventstore;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.events.decider.Decider;

import java.lang.ref.SoftReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The states of the aggregates this instance decided on lately, each with the version it was folded
 * to and the id of the event at that version, so that the next command on the same aggregate reads
 * only the events after it (usually none) instead of a snapshot and up to a hundred events to
 * parse again.
 *
 * <p>A kept state is never trusted blindly. A command outside a transaction is decided on it as
 * it is, but its append writes only if the event at the kept version is still the kept one and
 * none came after it; otherwise it is decided again on the history. A fold reads the event at the
 * kept version with the newer ones, and folds from the snapshot instead when that event is not the
 * kept one (a transaction that rolled back after the state was kept, another instance's writes, a
 * replaced database). Only deciders that keep snapshots are kept here: their state depends on their events
 * alone, unlike a decider built for one command from facts read beside it.
 *
 * <p>Bounded by {@code pvl.event-store.kept-states}, least recently used first out; 0 keeps none.
 * Each state is held softly: a state may carry a spec of up to 1 MiB, and the collector takes kept
 * states back before the heap runs out, so the next fold of such an aggregate starts from its
 * snapshot again instead of the service failing.
 */
@ApplicationScoped
public class KeptStates {
    /** How a fold started: from a kept state, from a snapshot, or from the aggregate's first event. */
    enum Start {
        KEPT, SNAPSHOT, FIRST_EVENT
    }

    /** A state as folded up to {@code version}, whose event there is {@code lastEventId}. */
    record Kept<S>(S state, long version, UUID lastEventId) {
    }

    private record Key(String name, String aggregateId) {
    }

    @Inject
    EventStoreConfig config;
    @Inject
    MeterRegistry registry;

    private final Map<Key, SoftReference<Kept<?>>> states = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, SoftReference<Kept<?>>> eldest) {
            return size() > config.keptStates();
        }
    };

    @SuppressWarnings("unchecked")
    synchronized <S> Kept<S> get(Decider.Snapshot<S> snapshot, String aggregateId) {
        Key key = new Key(snapshot.name(), aggregateId);
        SoftReference<Kept<?>> held = states.get(key);
        Kept<?> kept = held == null ? null : held.get();
        if (held != null && kept == null) {
            states.remove(key);
        }
        return (Kept<S>) kept;
    }

    /** Keeps {@code kept} unless a newer state of the aggregate is kept already. */
    synchronized <S> void keep(Decider.Snapshot<S> snapshot, String aggregateId, Kept<S> kept) {
        if (config.keptStates() <= 0) {
            return;
        }
        states.merge(new Key(snapshot.name(), aggregateId), new SoftReference<>(kept), (old, fresh) -> {
            Kept<?> previous = old.get();
            return previous != null && previous.version() > kept.version() ? old : fresh;
        });
    }

    synchronized void forget(Decider.Snapshot<?> snapshot, String aggregateId) {
        states.remove(new Key(snapshot.name(), aggregateId));
    }

    /** Forgets every kept state: the next fold of each aggregate starts from its snapshot. */
    public synchronized void clear() {
        states.clear();
    }

    /** {@code pvl_event_store_folds_total{start}}: how often each way of starting a fold is taken. */
    void counted(Start start) {
        registry.counter("pvl.event.store.folds", "start", start.name().toLowerCase()).increment();
    }
}
