package org.pvlifecycle.projection.domain;

import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;

import java.time.Instant;
import java.util.UUID;

/**
 * One event of any service as the projection keeps it: its place in the log, its envelope, its payload.
 *
 * <p>{@code data} is null where a fold is given only the event's place: an eligibility-changed
 * that a later one supersedes ({@link ProposalHistory} keeps only the last). Each carries every
 * blocker, one per open objection, so a contested proposal's log holds its objections over and
 * over: 2,000 open objections made each such payload about 300 kB.
 */
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

    /** This event's place and envelope, without its payload. */
    public LoggedEvent withoutData() {
        return data == null ? this : new LoggedEvent(position, id, topic, type, source, subject, actor, time, sequence, null);
    }
}
