package org.pvlifecycle.consumer;

import io.smallrye.mutiny.Uni;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a consumer does with each type of event it has to do with: one effect per type. Its inbox
 * ({@link Inbox#routed}) takes these types only and leaves the others unread, so the table that
 * says what an event does is also the one that says which events are read: a type cannot be
 * handled and skipped at once, nor forgotten in one place and not the other.
 */
public final class EventRoutes {
    private final Map<EventType, Function<EventEnvelope<LifecycleEvent>, Uni<Void>>> effects;
    /** Per type with a condition: whether an event of it has an effect at all. */
    private final Map<EventType, Predicate<EventEnvelope<LifecycleEvent>>> conditions;

    private EventRoutes(Map<EventType, Function<EventEnvelope<LifecycleEvent>, Uni<Void>>> effects,
            Map<EventType, Predicate<EventEnvelope<LifecycleEvent>>> conditions) {
        this.effects = effects;
        this.conditions = conditions;
    }

    /** No route yet: an inbox of these takes nothing. */
    public static EventRoutes none() {
        return new EventRoutes(new EnumMap<>(EventType.class), new EnumMap<>(EventType.class));
    }

    /**
     * These routes and {@code effect} for the events whose payload is {@code payloadType}, given the
     * envelope and its payload as that type.
     *
     * @throws IllegalArgumentException when the type has a route already, or is none of the contract's
     */
    public <E extends LifecycleEvent> EventRoutes on(Class<E> payloadType,
            BiFunction<EventEnvelope<LifecycleEvent>, E, Uni<Void>> effect) {
        return on(payloadType, payload -> true, effect);
    }

    /**
     * These routes and {@code effect} for the events whose payload is {@code payloadType} and for
     * which {@code when} holds; the others of that type have no effect, and the inbox acknowledges
     * them without a transaction ({@link Inbox#concerns}). {@code when} looks at the payload only.
     *
     * @throws IllegalArgumentException when the type has a route already, or is none of the contract's
     */
    public <E extends LifecycleEvent> EventRoutes on(Class<E> payloadType, Predicate<? super E> when,
            BiFunction<EventEnvelope<LifecycleEvent>, E, Uni<Void>> effect) {
        EventType type = EventType.of(payloadType);
        if (type == null) {
            throw new IllegalArgumentException(payloadType.getName() + " is no event type of the contract");
        }
        if (effects.containsKey(type)) {
            throw new IllegalArgumentException(type.typeName() + " is routed twice");
        }
        Map<EventType, Function<EventEnvelope<LifecycleEvent>, Uni<Void>>> more = new EnumMap<>(EventType.class);
        more.putAll(effects);
        more.put(type, event -> effect.apply(event, payloadType.cast(event.data())));
        Map<EventType, Predicate<EventEnvelope<LifecycleEvent>>> moreConditions = new EnumMap<>(EventType.class);
        moreConditions.putAll(conditions);
        moreConditions.put(type, event -> when.test(payloadType.cast(event.data())));
        return new EventRoutes(more, moreConditions);
    }

    /** The types that have a route. */
    public Set<EventType> types() {
        return Collections.unmodifiableSet(effects.keySet());
    }

    /** Whether {@code event} has an effect here: its type has a route, and the route's condition holds. */
    public boolean concerns(EventEnvelope<LifecycleEvent> event) {
        Predicate<EventEnvelope<LifecycleEvent>> condition = conditions.get(event.type());
        return condition != null && condition.test(event);
    }

    /**
     * The effect of {@code event}'s type; nothing for a type without a route (which only a
     * re-drive of an old dead letter or a replay brings, the live consumer leaving it unread).
     */
    public Uni<Void> apply(EventEnvelope<LifecycleEvent> event) {
        Function<EventEnvelope<LifecycleEvent>, Uni<Void>> effect = effects.get(event.type());
        return effect == null ? Uni.createFrom().voidItem() : effect.apply(event);
    }
}
