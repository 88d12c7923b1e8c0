package org.pvlifecycle.review.api;

import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.review.domain.ObjectionStatus;
import org.pvlifecycle.review.domain.Review;

import java.time.Instant;
import java.util.List;

/** {@code GET /objections/{oid}} (docs/api.md). */
public record ObjectionView(
        String objectionId,
        String proposal,
        String author,
        Stage stage,
        ObjectionCategory category,
        String section,
        String rationale,
        ObjectionStatus status,
        boolean late,
        boolean blocking,
        Instant raisedAt,
        Instant respondBy,
        List<Review.Entry> thread) {

    static ObjectionView of(String proposalId, Review.Objection o, boolean lateObjectionsBlock) {
        return new ObjectionView(o.objectionId(), proposalId, o.author(), o.stage(), o.category(), o.section(),
                o.rationale(), o.status(), o.late(), o.blocking(lateObjectionsBlock), o.raisedAt(),
                o.status() == ObjectionStatus.ANSWERED || o.status() == ObjectionStatus.LAPSED ? o.respondBy() : null,
                o.thread());
    }
}
