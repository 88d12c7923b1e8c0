package org.pvlifecycle.review.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.pvlifecycle.conventions.rest.ProblemException;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.review.domain.ReviewDecider;

/**
 * The request bodies of the review API, with the rules of docs/rules.md. The bodies of the commands
 * a list message can cause also take {@code actor} and {@code source}, which only the mail gateway
 * sends (docs/api.md#the-mail-gateway).
 */
public final class ReviewRequests {
    static final String ACTOR = "Only for the mail gateway: the person it acts for";
    static final String SOURCE = "Only for the mail gateway: the list message that caused the command";

    /** What the mail gateway says for a list member: who, and which message. */
    public interface OnBehalf {
        String actor();

        ListMessage source();
    }

    @Schema(description = "The list message that caused a command: its Message-ID and the List-Id it came through")
    public record ListMessage(
            @NotNull Source.Kind kind,
            // RFC 5322 caps a line at 998 characters, and so a Message-ID.
            @NotBlank @Size(max = 998) String messageId,
            @NotBlank @Size(max = 255) String list) {

        /** Events name the message without angle brackets (docs/events.md), as the archive's links do. */
        Source toSource() {
            String id = messageId.strip();
            if (id.length() > 2 && id.startsWith("<") && id.endsWith(">")) {
                id = id.substring(1, id.length() - 1).strip();
            }
            if (id.isEmpty()) {
                throw ProblemException.invalid("source.messageId", "must not be blank");
            }
            return new Source(kind, id, list.strip());
        }
    }

    @Schema(description = "A specific technical objection: what it is about, where, and why")
    public record NewObjection(
            @NotNull ObjectionCategory category,
            @NotBlank @Size(max = 300) String section,
            @NotNull @Size(min = ReviewDecider.MIN_RATIONALE,
                    message = "must explain the technical problem in at least 30 characters")
            @Size(max = 20000, message = "must be at most 20000 characters") String rationale,
            @Schema(description = ACTOR) String actor,
            @Schema(description = SOURCE) @Valid ListMessage source) implements OnBehalf {
    }

    @Schema(description = "A step in an objection's thread")
    public record Reply(
            @NotBlank @Size(max = 20000) String text,
            @Schema(description = ACTOR) String actor,
            @Schema(description = SOURCE) @Valid ListMessage source) implements OnBehalf {
    }

    @Schema(description = "Why the objection is withdrawn (optional)")
    public record WithdrawalNote(
            @Size(max = 20000) String text,
            @Schema(description = ACTOR) String actor,
            @Schema(description = SOURCE) @Valid ListMessage source) implements OnBehalf {
    }

    @Schema(description = "Why the Czar overrules the objection")
    public record Overruling(@NotBlank @Size(max = 20000) String rationale) {
    }

    @Schema(description = "An ack for one of the proposal's components")
    public record NewAck(
            @NotNull AckKind kind,
            @NotBlank @Size(max = 64) String component,
            @Schema(description = ACTOR) String actor,
            @Schema(description = SOURCE) @Valid ListMessage source) implements OnBehalf {
    }

    @Schema(description = "Only for the mail gateway: who retracts the ack, and the list message that said so")
    public record Retraction(
            @Schema(description = ACTOR) String actor,
            @Schema(description = SOURCE) @Valid ListMessage source) implements OnBehalf {
    }

    private ReviewRequests() {
    }
}
