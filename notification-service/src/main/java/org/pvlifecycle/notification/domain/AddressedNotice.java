package org.pvlifecycle.notification.domain;

import java.time.Instant;

/**
 * One notice an event gives rise to: to whom, by when the reader must act ({@code deadline},
 * may be null), when to send it ({@code sendAt}: the event's time, or later for a reminder) and
 * the objection it is about (may be null).
 */
public record AddressedNotice(Notice notice, Audience audience, Instant deadline, Instant sendAt, String objectionId) {
}
