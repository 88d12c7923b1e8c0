package org.pvlifecycle.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code pv.review.objection-withdrawn.v1}: the author withdrew the objection; it no longer blocks.
 * {@code source} names the list message it came from; null (absent) over REST.
 */
public record ObjectionWithdrawn(
        String proposalId,
        String objectionId,
        String text,
        @JsonInclude(JsonInclude.Include.NON_NULL) Source source) implements LifecycleEvent {

    /** A withdrawal sent over REST: no source. */
    public ObjectionWithdrawn(String proposalId, String objectionId, String text) {
        this(proposalId, objectionId, text, null);
    }
}
