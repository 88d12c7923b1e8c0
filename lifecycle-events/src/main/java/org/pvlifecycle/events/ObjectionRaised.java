package org.pvlifecycle.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code pv.review.objection-raised.v1}: a reviewer raised a specific technical objection.
 * {@code late} is true when it was raised after the stage's review window closed; {@code source}
 * names the list message it came from, and is null (absent) when it came over REST.
 */
public record ObjectionRaised(
        String proposalId,
        String objectionId,
        Stage stage,
        ObjectionCategory category,
        String section,
        String rationale,
        boolean late,
        @JsonInclude(JsonInclude.Include.NON_NULL) Source source) implements LifecycleEvent {

    /** An objection raised over REST: no source. */
    public ObjectionRaised(String proposalId, String objectionId, Stage stage, ObjectionCategory category,
            String section, String rationale, boolean late) {
        this(proposalId, objectionId, stage, category, section, rationale, late, null);
    }
}
