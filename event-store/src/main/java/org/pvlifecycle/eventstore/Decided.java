package org.pvlifecycle.eventstore;

import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;

import java.util.List;
import java.util.Optional;

/** What a command did: the state it was decided on, and the events it appended (maybe none). */
public record Decided<S, E extends LifecycleEvent>(S before, List<EventEnvelope<E>> appended) {

    /**
     * The first appended event of {@code type}, if the command appended one: a caller that knows
     * which event its command yields asks for that type instead of casting.
     */
    public <T extends E> Optional<T> first(Class<T> type) {
        return appended.stream().map(EventEnvelope::data).filter(type::isInstance).map(type::cast).findFirst();
    }
}
