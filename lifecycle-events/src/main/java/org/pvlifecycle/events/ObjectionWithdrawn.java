package org.pvlifecycle.events;

/** {@code pv.review.objection-withdrawn.v1}: the author withdrew the objection; it no longer blocks. */
public record ObjectionWithdrawn(
        String proposalId,
        String objectionId,
        String text) implements LifecycleEvent {
}
