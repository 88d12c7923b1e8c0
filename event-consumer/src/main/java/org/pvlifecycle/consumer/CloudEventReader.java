package org.pvlifecycle.consumer;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventSchemas;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.UnreadableEventException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Reads one Kafka message into the contract's envelope, from its binary-mode {@code ce_*} headers
 * and its value. Anything that is not one of our events, in any way, is an
 * {@link UnreadableEventException} whose message says what is wrong.
 * <p>
 * The headers are read here, not by SmallRye's CloudEvents support, which every incoming channel
 * has off ({@code cloud-events=false}, event-consumer's microprofile-config.properties): SmallRye
 * parses them as it makes each record of a poll, before any handler runs, and one {@code ce_time}
 * that is no RFC 3339 time threw there and stopped the channel for good. Every later event of
 * the topic then waited, unread, for the service's restart, which stopped on the same record.
 */
public final class CloudEventReader {

    public static EventEnvelope<LifecycleEvent> read(Message<?> message) {
        Object payload = message.getPayload();
        return read(headers(kafkaHeaders(message)), payload instanceof String json ? json : null);
    }

    /**
     * The message's CloudEvents type, from its {@code ce_type} header alone (its payload and other
     * headers unread); null when it has none.
     */
    public static String typeName(Message<?> message) {
        Header type = kafkaHeaders(message).lastHeader("ce_type");
        return type == null || type.value() == null ? null : new String(type.value(), StandardCharsets.UTF_8);
    }

    /** A Kafka record's headers by name (the last of a repeated one), each value as UTF-8 text. */
    public static Map<String, String> headers(Headers kafkaHeaders) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : kafkaHeaders) {
            if (h.value() != null) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return headers;
    }

    private static Headers kafkaHeaders(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getHeaders())
                .orElseGet(RecordHeaders::new);
    }

    /**
     * Reads a record's binary-mode headers ({@code ce_id}, {@code ce_type}, ...) and value, for
     * code that reads a topic with a plain Kafka consumer (a replay, say).
     */
    public static EventEnvelope<LifecycleEvent> read(Map<String, String> headers, String value) {
        if (!headers.containsKey("ce_id") || !headers.containsKey("ce_type")) {
            throw new UnreadableEventException("not a CloudEvent: no ce_* headers");
        }
        // The contract is CloudEvents 1.0: another version names and shapes its attributes
        // otherwise, and a record without one is no CloudEvent of any version.
        String specVersion = headers.get("ce_specversion");
        if (!EventEnvelope.SPEC_VERSION.equals(specVersion)) {
            throw new UnreadableEventException(specVersion == null ? "not a CloudEvent: no ce_specversion"
                    : "ce_specversion is " + specVersion + ", not " + EventEnvelope.SPEC_VERSION);
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
        if (source != null) {
            try {
                new URI(source);
            } catch (URISyntaxException e) {
                throw new UnreadableEventException("ce_source of " + id + " is not a URI reference: " + source);
            }
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
