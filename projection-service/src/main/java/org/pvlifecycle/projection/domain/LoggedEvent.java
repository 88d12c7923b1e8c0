package org.pvlifecycle.projection.domain;

import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;

import java.time.Instant;
import java.util.UUID;

/** One event of any service as the projection keeps it: its place in the log, its envelope, its payload. */
public record LoggedEvent(
        long position,
        UUID id,
        String topic,
        EventType type,
        String source,
        String subject,
        String actor,
        Instant time,
        long sequence,
        LifecycleEvent data) {
}
