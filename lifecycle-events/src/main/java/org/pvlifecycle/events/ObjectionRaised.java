package org.pvlifecycle.events;

/**
 * {@code pv.review.objection-raised.v1}: a reviewer raised a specific technical objection.
 * {@code late} is true when it was raised after the stage's review window closed.
 */
public record ObjectionRaised(
        String proposalId,
        String objectionId,
        Stage stage,
        ObjectionCategory category,
        String section,
        String rationale,
        boolean late) implements LifecycleEvent {
}
