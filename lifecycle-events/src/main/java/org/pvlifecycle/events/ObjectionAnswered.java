package org.pvlifecycle.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * {@code pv.review.objection-answered.v1}: the owner answered; the objection's author must
 * reaffirm or withdraw by {@code respondBy} (answer time + the policy's response window).
 * {@code source} names the list message it came from; null (absent) over REST.
 */
public record ObjectionAnswered(
        String proposalId,
        String objectionId,
        String text,
        Instant respondBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Source source) implements LifecycleEvent {

    /** An answer given over REST: no source. */
    public ObjectionAnswered(String proposalId, String objectionId, String text, Instant respondBy) {
        this(proposalId, objectionId, text, respondBy, null);
    }
}
