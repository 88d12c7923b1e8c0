package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventSchemas;
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

    /** The event as the contract describes it; the payload is read against its schema. */
    public EventEnvelope<LifecycleEvent> toEnvelope() {
        EventType eventType = EventType.byName(type)
                .orElseThrow(() -> new UnreadableEventException("unknown event type " + type + " at " + eventId));
        LifecycleEvent data = EventSchemas.read(eventType, payload);
        return new EventEnvelope<>(eventId, source, eventType, aggregateId, occurredAt, version, actor, data);
    }
}
