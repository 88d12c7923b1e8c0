package org.pvlifecycle.events;

import java.time.Instant;

/**
 * {@code pv.review.objection-answered.v1}: the owner answered; the objection's author must
 * reaffirm or withdraw by {@code respondBy} (answer time + the policy's response window).
 */
public record ObjectionAnswered(
        String proposalId,
        String objectionId,
        String text,
        Instant respondBy) implements LifecycleEvent {
}
