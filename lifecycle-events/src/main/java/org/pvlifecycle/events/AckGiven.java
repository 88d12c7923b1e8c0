package org.pvlifecycle.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code pv.review.ack-given.v1}: a reviewer acked, reviewed or tested one component in a stage.
 * {@code source} names the list message (an {@code Acked-by:} line, say) it came from; null
 * (absent) over REST.
 */
public record AckGiven(
        String proposalId,
        String ackId,
        Stage stage,
        AckKind kind,
        String component,
        @JsonInclude(JsonInclude.Include.NON_NULL) Source source) implements LifecycleEvent {

    /** An ack given over REST: no source. */
    public AckGiven(String proposalId, String ackId, Stage stage, AckKind kind, String component) {
        this(proposalId, ackId, stage, kind, component, null);
    }
}
