package org.pvlifecycle.eventstore;

import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventSchemas;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.UnreadableEventException;

import java.net.URI;
import java.time.ZonedDateTime;
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
        EventType type = EventType.byName(ce.getType())
                .orElseThrow(() -> new UnreadableEventException("unknown event type " + ce.getType()));
        UUID id;
        try {
            id = UUID.fromString(ce.getId());
        } catch (IllegalArgumentException e) {
            throw new UnreadableEventException("event id is not a UUID: " + ce.getId());
        }
        String subject = ce.getSubject()
                .orElseThrow(() -> new UnreadableEventException("no subject (proposal id) on " + id));
        ZonedDateTime time = ce.getTimeStamp()
                .orElseThrow(() -> new UnreadableEventException("no time on " + id));
        long sequence = ce.getExtension(EventEnvelope.SEQUENCE)
                .map(CloudEventReader::asLong)
                .orElseThrow(() -> new UnreadableEventException("no sequence extension on " + id));
        String actor = ce.<Object>getExtension(EventEnvelope.ACTOR).map(Object::toString)
                .orElseThrow(() -> new UnreadableEventException("no actor extension on " + id));
        Object payload = message.getPayload();
        if (!(payload instanceof String json)) {
            throw new UnreadableEventException("payload of " + id + " is not JSON text");
        }
        LifecycleEvent data = EventSchemas.read(type, json);
        if (!subject.equals(data.proposalId())) {
            throw new UnreadableEventException("subject " + subject + " does not match payload " + data.proposalId());
        }
        URI source = ce.getSource();
        return new EventEnvelope<>(id, source == null ? "" : source.toString(), type, subject, time.toInstant(),
                sequence, actor, data);
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
