package org.pvlifecycle.events;

/** {@code pv.review.ack-retracted.v1}: the author took the ack back; it counts nowhere any more. */
public record AckRetracted(
        String proposalId,
        String ackId) implements LifecycleEvent {
}
