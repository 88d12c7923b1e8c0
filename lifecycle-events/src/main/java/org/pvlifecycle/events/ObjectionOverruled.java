package org.pvlifecycle.events;

/** {@code pv.review.objection-overruled.v1}: the Czar overruled the objection, with a rationale. */
public record ObjectionOverruled(
        String proposalId,
        String objectionId,
        String rationale) implements LifecycleEvent {
}
