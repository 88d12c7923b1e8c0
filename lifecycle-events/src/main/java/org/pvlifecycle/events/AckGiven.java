package org.pvlifecycle.events;

/** {@code pv.review.ack-given.v1}: a reviewer acked, reviewed or tested one component in a stage. */
public record AckGiven(
        String proposalId,
        String ackId,
        Stage stage,
        AckKind kind,
        String component) implements LifecycleEvent {
}
