package org.pvlifecycle.events;

/** {@code pv.review.objection-reaffirmed.v1}: the author stands by the objection, with a reply. */
public record ObjectionReaffirmed(
        String proposalId,
        String objectionId,
        String text) implements LifecycleEvent {
}
