package org.pvlifecycle.testkit;

import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.decider.Decider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * given(events) → when(command) → then(events | refusal | state), for any {@link Decider}. The
 * fixture keeps the aggregate's history as the event store would, envelopes in version order, and
 * its state is always that history folded by the decider: what a test asserts is what a service
 * would fold. The events a command decides join the history, so one scenario can run command after
 * command.
 *
 * <p>Each event happens one second after the one before, from {@link #START}, unless given at an
 * instant of its own; a decided event's actor is its command's.
 */
public final class DeciderFixture<C, S, E extends LifecycleEvent> {
    public static final Instant START = Instant.parse("2026-11-26T09:00:00Z");
    /** Who caused a given event, unless the test says. */
    public static final String SOMEONE = "someone";

    private Decider<C, S, E> decider;
    private final Function<? super C, String> actorOf;
    private final List<EventEnvelope<LifecycleEvent>> history = new ArrayList<>();
    private Instant clock = START;

    private DeciderFixture(Decider<C, S, E> decider, Function<? super C, String> actorOf) {
        this.decider = decider;
        this.actorOf = actorOf;
    }

    /** A fixture with no history yet; {@code actorOf} names who sends a command. */
    public static <C, S, E extends LifecycleEvent> DeciderFixture<C, S, E> of(Decider<C, S, E> decider,
            Function<? super C, String> actorOf) {
        return new DeciderFixture<>(decider, actorOf);
    }

    /** Events that happened, each a second after the last, caused by {@link #SOMEONE}. */
    public DeciderFixture<C, S, E> given(LifecycleEvent... events) {
        for (LifecycleEvent event : events) {
            record(event, clock.plusSeconds(1), SOMEONE);
        }
        return this;
    }

    /** Events that happened at {@code at}, caused by {@code actor}. */
    public DeciderFixture<C, S, E> given(Instant at, String actor, LifecycleEvent... events) {
        for (LifecycleEvent event : events) {
            record(event, at, actor);
        }
        return this;
    }

    /**
     * From now on, commands are decided by {@code next}, on the same history: for a decider built
     * from what its service knows besides the aggregate, when that changes.
     */
    public DeciderFixture<C, S, E> decidedBy(Decider<C, S, E> next) {
        this.decider = next;
        return this;
    }

    /** The history folded by the decider. */
    public S state() {
        S state = decider.initialState();
        for (EventEnvelope<LifecycleEvent> event : history) {
            state = decider.evolve(state, event);
        }
        return state;
    }

    /** Decides {@code command} on the current state; what it decides joins the history. */
    public Then when(C command) {
        List<E> events;
        try {
            events = decider.decide(command, state());
        } catch (RuntimeException refusal) {
            return new Then(null, refusal);
        }
        for (E event : events) {
            record(event, clock.plusSeconds(1), actorOf.apply(command));
        }
        return new Then(List.copyOf(events), null);
    }

    private void record(LifecycleEvent event, Instant at, String actor) {
        history.add(new EventEnvelope<>(UUID.randomUUID(), "/test", EventType.of(event), event.proposalId(), at,
                history.size() + 1, actor, event));
        clock = at;
    }

    /** What one command did: the events it decided, or the exception it was refused with. */
    public final class Then {
        private final List<E> events;
        private final RuntimeException refusal;

        private Then(List<E> events, RuntimeException refusal) {
            this.events = events;
            this.refusal = refusal;
        }

        /** The command decided exactly {@code expected}, in order. */
        @SafeVarargs
        public final Then then(E... expected) {
            assertThat(events()).containsExactlyElementsOf(Arrays.asList(expected));
            return this;
        }

        /** The command was accepted and decided nothing. */
        public Then thenNothing() {
            assertThat(events()).isEmpty();
            return this;
        }

        /** The state after the command meets {@code requirements}. */
        public Then thenState(Consumer<S> requirements) {
            requirements.accept(state());
            return this;
        }

        /** The command was refused with a {@code type} that meets {@code requirements}. */
        public <X extends RuntimeException> Then thenRefused(Class<X> type, Consumer<X> requirements) {
            assertThat(refusal).as("the command's refusal").isInstanceOf(type);
            requirements.accept(type.cast(refusal));
            return this;
        }

        /** The command was refused with a {@code type}. */
        public Then thenRefused(Class<? extends RuntimeException> type) {
            return thenRefused(type, refused -> { });
        }

        /** The events the command decided, for a test that reads what they carry. */
        public List<E> events() {
            if (refusal != null) {
                throw new AssertionError("the command was refused: " + refusal, refusal);
            }
            return events;
        }

        /** The one event of {@code type} the command decided. */
        public <T extends E> T event(Class<T> type) {
            List<T> ofType = events().stream().filter(type::isInstance).map(type::cast).toList();
            assertThat(ofType).as("the decided " + type.getSimpleName()).hasSize(1);
            return ofType.get(0);
        }

        /** The next command, on the state this one left. */
        public Then when(C command) {
            return DeciderFixture.this.when(command);
        }
    }
}
