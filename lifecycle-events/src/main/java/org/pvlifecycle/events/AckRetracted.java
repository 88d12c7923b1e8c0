package org.pvlifecycle.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code pv.review.ack-retracted.v1}: the author took the ack back; it counts nowhere any more.
 * {@code source} names the list message it came from; null (absent) over REST.
 */
public record AckRetracted(
        String proposalId,
        String ackId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Source source) implements LifecycleEvent {

    /** A retraction sent over REST: no source. */
    public AckRetracted(String proposalId, String ackId) {
        this(proposalId, ackId, null);
    }
}
