package org.pvlifecycle.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The CloudEvents 1.0 envelope of docs/events.md around one payload: {@code id}, {@code source},
 * {@code type}, {@code subject} (the proposal id), {@code time} and the extensions
 * {@code sequence} (the aggregate version) and {@code actor} (who caused it). The content type
 * is always {@link #DATA_CONTENT_TYPE}.
 */
public record EventEnvelope<E extends LifecycleEvent>(
        UUID id,
        String source,
        EventType type,
        String subject,
        Instant time,
        long sequence,
        String actor,
        E data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";
    /** CloudEvents extension attribute names (lower-case alphanumerics, as CloudEvents requires). */
    public static final String SEQUENCE = "sequence";
    public static final String ACTOR = "actor";

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(data, "data");
        if (!type.payloadType().isInstance(data)) {
            throw new IllegalArgumentException(type.typeName() + " cannot carry " + data.getClass().getSimpleName());
        }
    }

    /** Narrows the payload when the caller already knows the type. */
    @SuppressWarnings("unchecked")
    public <T extends LifecycleEvent> EventEnvelope<T> as(Class<T> payloadType) {
        if (!payloadType.isInstance(data)) {
            throw new ClassCastException(type.typeName() + " is not " + payloadType.getSimpleName());
        }
        return (EventEnvelope<T>) this;
    }
}
