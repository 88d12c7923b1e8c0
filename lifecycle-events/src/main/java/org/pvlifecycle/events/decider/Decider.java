package org.pvlifecycle.events.decider;

import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * An event-sourced aggregate's rules as one value: the state before its first event, how a
 * command is decided on a state, and how each event changes the state. Pure functions, so that the
 * event store runs them in a transaction and a test runs them in memory, the same way.
 *
 * <p>{@link #evolve} takes the envelope, not only the payload: a state may keep when an event
 * happened and who caused it, which travel beside the payload, never inside.
 *
 * @param <C> the commands it decides
 * @param <S> the state it folds
 * @param <E> the events it decides
 */
public interface Decider<C, S, E extends LifecycleEvent> {

    S initialState();

    /**
     * The events {@code command} causes on {@code state}, maybe none.
     *
     * @throws RuntimeException a {@link CommandRefusal} when the rules refuse the command
     */
    List<E> decide(C command, S state);

    S evolve(S state, EventEnvelope<LifecycleEvent> event);

    static <C, S, E extends LifecycleEvent> Decider<C, S, E> of(S initialState, BiFunction<C, S, List<E>> decide,
            BiFunction<S, EventEnvelope<LifecycleEvent>, S> evolve) {
        return new Rules<>(initialState, decide, evolve, Optional.empty());
    }

    /**
     * Whether the event store may keep this decider's state between commands, so that a long
     * history is not folded again for each one; none unless asked for with {@link #snapshotted}.
     */
    default Optional<Snapshot<S>> snapshot() {
        return Optional.empty();
    }

    /**
     * A kept state's name and type. The name says the state's shape too ({@code proposal.v1}): a
     * change of the state record takes a new name, and snapshots of the old shape are not read.
     */
    record Snapshot<S>(String name, Class<S> type) {
    }

    /** This decider, with its state kept as {@code name} by the event store every so many events. */
    default Decider<C, S, E> snapshotted(String name, Class<S> type) {
        return new Rules<>(initialState(), this::decide, this::evolve, Optional.of(new Snapshot<>(name, type)));
    }

    /** A decider made of its three functions (and how its state may be kept). */
    record Rules<C, S, E extends LifecycleEvent>(S initialState, BiFunction<C, S, List<E>> decision,
            BiFunction<S, EventEnvelope<LifecycleEvent>, S> evolution, Optional<Snapshot<S>> snapshot)
            implements Decider<C, S, E> {

        @Override
        public List<E> decide(C command, S state) {
            return decision.apply(command, state);
        }

        @Override
        public S evolve(S state, EventEnvelope<LifecycleEvent> event) {
            return evolution.apply(state, event);
        }
    }
}
