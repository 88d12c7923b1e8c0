package org.pvlifecycle.mail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.pvlifecycle.mail.Outcome;
import org.pvlifecycle.mail.persistence.MessageAction;
import org.pvlifecycle.mail.persistence.StoredMessage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The answers of the mail API (docs/api.md#mail-service-8086). */
public final class MessageViews {

    @Schema(description = "What became of one message: the proposal it was tied to, the outcome, why, and the actions")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Receipt(String messageId, String proposal, Outcome outcome, String reason, List<MessageAction> actions) {
        static Receipt of(StoredMessage m) {
            return new Receipt(m.messageId(), m.proposal(), m.outcome(), m.reason(), m.actions());
        }
    }

    @Schema(description = "An imported archive: how many messages, how many of each outcome, and those refused")
    public record Import(int messages, Map<Outcome, Integer> outcomes, List<Refused> refused) {
    }

    @Schema(description = "A message of an archive that was not taken: its place in the archive (from 1) and why")
    public record Refused(int position, String reason) {
    }

    @Schema(description = "A received message and what was done with it")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReceivedMessage(String messageId, Instant receivedAt, String list, String from, String person,
            String subject, String inReplyTo, String proposal, Outcome outcome, String reason,
            List<MessageAction> actions, int attempts, Instant nextAttemptAt) {
        static ReceivedMessage of(StoredMessage m) {
            return new ReceivedMessage(m.messageId(), m.receivedAt(), m.listId(), m.sender(), m.person(), m.subject(),
                    m.inReplyTo(), m.proposal(), m.outcome(), m.reason(), m.actions(), m.attempts(),
                    m.outcome() == Outcome.PENDING ? m.nextAttemptAt() : null);
        }
    }

    /** A page of received messages, newest first. */
    public record Page(int page, int size, List<ReceivedMessage> items) {
    }

    private MessageViews() {
    }
}
