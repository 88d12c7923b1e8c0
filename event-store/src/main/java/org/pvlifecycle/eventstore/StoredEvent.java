package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.UnreadableEventException;

import java.time.Instant;
import java.util.UUID;

/** One row of the append-only event log of the service that owns the aggregate. */
@Entity
@Table(name = "events")
public class StoredEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long position;

    @Column(name = "event_id", nullable = false, unique = true)
    public UUID eventId;

    @Column(name = "aggregate_id", nullable = false)
    public String aggregateId;

    @Column(nullable = false)
    public long version;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String source;

    @Column(nullable = false)
    public String actor;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(nullable = false)
    public String payload;

    /**
     * An event as the contract describes it. The payload was written by this service from a
     * record, so it is read straight into the record; schemas guard what comes in over Kafka.
     */
    static EventEnvelope<LifecycleEvent> toEnvelope(UUID eventId, String aggregateId, String source, String type,
            long version, String actor, Instant occurredAt, String payload) {
        EventType eventType = EventType.byName(type)
                .orElseThrow(() -> new UnreadableEventException("unknown event type " + type + " at " + eventId));
        LifecycleEvent data = EventJson.read(payload, eventType.payloadType());
        return new EventEnvelope<>(eventId, source, eventType, aggregateId, occurredAt, version, actor, data);
    }
}
