package org.pvlifecycle.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code pv.review.objection-reaffirmed.v1}: the author stands by the objection, with a reply.
 * {@code source} names the list message it came from; null (absent) over REST.
 */
public record ObjectionReaffirmed(
        String proposalId,
        String objectionId,
        String text,
        @JsonInclude(JsonInclude.Include.NON_NULL) Source source) implements LifecycleEvent {

    /** A reaffirmation sent over REST: no source. */
    public ObjectionReaffirmed(String proposalId, String objectionId, String text) {
        this(proposalId, objectionId, text, null);
    }
}
