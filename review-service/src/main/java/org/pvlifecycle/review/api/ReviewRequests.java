package org.pvlifecycle.review.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.review.domain.ReviewDecider;

/** The request bodies of the review API, with the rules of docs/rules.md. */
public final class ReviewRequests {

    @Schema(description = "A specific technical objection: what it is about, where, and why")
    public record NewObjection(
            @NotNull ObjectionCategory category,
            @NotBlank @Size(max = 300) String section,
            @NotNull @Size(min = ReviewDecider.MIN_RATIONALE, max = 20000,
                    message = "must explain the technical problem in at least 30 characters") String rationale) {
    }

    @Schema(description = "A step in an objection's thread")
    public record Reply(@NotBlank @Size(max = 20000) String text) {
    }

    @Schema(description = "Why the objection is withdrawn (optional)")
    public record WithdrawalNote(@Size(max = 20000) String text) {
    }

    @Schema(description = "Why the Czar overrules the objection")
    public record Overruling(@NotBlank @Size(max = 20000) String rationale) {
    }

    @Schema(description = "An ack for one of the proposal's components")
    public record NewAck(@NotNull AckKind kind, @NotBlank @Size(max = 40) String component) {
    }

    private ReviewRequests() {
    }
}
