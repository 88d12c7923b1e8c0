package org.pvlifecycle.consumer;

import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventSchemas;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.UnreadableEventException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

/**
 * Reads one Kafka message into the contract's envelope, from the CloudEvents attributes SmallRye
 * parsed out of its {@code ce_*} headers. Anything that is not one of our events, in any way, is
 * an {@link UnreadableEventException} whose message says what is wrong.
 */
public final class CloudEventReader {

    @SuppressWarnings("unchecked")
    public static EventEnvelope<LifecycleEvent> read(Message<?> message) {
        IncomingCloudEventMetadata<Object> ce = message.getMetadata(IncomingCloudEventMetadata.class)
                .orElseThrow(() -> new UnreadableEventException("not a CloudEvent: no ce_* attributes"));
        Object payload = message.getPayload();
        return read(ce.getId(), ce.getSource() == null ? null : ce.getSource().toString(), ce.getType(),
                ce.getSubject().orElse(null), ce.getTimeStamp().map(ZonedDateTime::toInstant).orElse(null),
                ce.getExtension(EventEnvelope.SEQUENCE).orElse(null),
                ce.<Object>getExtension(EventEnvelope.ACTOR).orElse(null),
                payload instanceof String json ? json : null);
    }

    /**
     * The message's CloudEvents type, from its headers alone (its payload unread); null when it
     * has none.
     */
    @SuppressWarnings("unchecked")
    public static String typeName(Message<?> message) {
        return message.getMetadata(IncomingCloudEventMetadata.class)
                .map(ce -> ((IncomingCloudEventMetadata<Object>) ce).getType()).orElse(null);
    }

    /**
     * Reads a record's binary-mode headers ({@code ce_id}, {@code ce_type}, ...) and value, for
     * code that reads a topic with a plain Kafka consumer (a replay, say).
     */
    public static EventEnvelope<LifecycleEvent> read(Map<String, String> headers, String value) {
        if (!headers.containsKey("ce_id") || !headers.containsKey("ce_type")) {
            throw new UnreadableEventException("not a CloudEvent: no ce_* headers");
        }
        Instant time;
        try {
            time = headers.get("ce_time") == null ? null : OffsetDateTime.parse(headers.get("ce_time")).toInstant();
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException("ce_time is not an RFC 3339 time: " + headers.get("ce_time"));
        }
        return read(headers.get("ce_id"), headers.get("ce_source"), headers.get("ce_type"), headers.get("ce_subject"),
                time, headers.get("ce_" + EventEnvelope.SEQUENCE), headers.get("ce_" + EventEnvelope.ACTOR), value);
    }

    private static EventEnvelope<LifecycleEvent> read(String idText, String source, String typeName, String subject,
            Instant time, Object sequenceValue, Object actorValue, String json) {
        EventType type = EventType.byName(typeName)
                .orElseThrow(() -> new UnreadableEventException("unknown event type " + typeName));
        UUID id;
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnreadableEventException("event id is not a UUID: " + idText);
        }
        if (subject == null) {
            throw new UnreadableEventException("no subject (proposal id) on " + id);
        }
        if (time == null) {
            throw new UnreadableEventException("no time on " + id);
        }
        if (sequenceValue == null) {
            throw new UnreadableEventException("no sequence extension on " + id);
        }
        if (actorValue == null) {
            throw new UnreadableEventException("no actor extension on " + id);
        }
        if (json == null) {
            throw new UnreadableEventException("payload of " + id + " is not JSON text");
        }
        LifecycleEvent data = EventSchemas.read(type, json);
        if (!subject.equals(data.proposalId())) {
            throw new UnreadableEventException("subject " + subject + " does not match payload " + data.proposalId());
        }
        return new EventEnvelope<>(id, source == null ? "" : source, type, subject, time, asLong(sequenceValue),
                actorValue.toString(), data);
    }

    private static long asLong(Object value) {
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            throw new UnreadableEventException("sequence is not a number: " + value);
        }
    }

    private CloudEventReader() {
    }
}
