package org.pvlifecycle.mail.persistence;

import org.pvlifecycle.mail.Outcome;

import java.time.Instant;
import java.util.List;

/**
 * A received message as the {@code messages} table keeps it. {@code reason} is why it has its
 * outcome (for a pending one, what it waits for); {@code notes} what in it did not count, kept from
 * its decision to be its reason once applied; {@code raw} only while it waits, undecided, for an
 * earlier message of its thread.
 */
public record StoredMessage(
        String messageId,
        Instant receivedAt,
        String listId,
        String sender,
        String person,
        String subject,
        String inReplyTo,
        String proposal,
        Outcome outcome,
        String reason,
        String notes,
        List<MessageAction> actions,
        int attempts,
        Instant nextAttemptAt,
        byte[] raw) {

    public StoredMessage {
        actions = List.copyOf(actions);
    }

    public StoredMessage with(Outcome newOutcome, String newReason, List<MessageAction> newActions) {
        return new StoredMessage(messageId, receivedAt, listId, sender, person, subject, inReplyTo, proposal, newOutcome,
                newReason, notes, newActions, attempts, nextAttemptAt, raw);
    }

    public StoredMessage decided(String newProposal, Outcome newOutcome, String newReason, String newNotes,
            List<MessageAction> newActions) {
        return new StoredMessage(messageId, receivedAt, listId, sender, person, subject, inReplyTo, newProposal, newOutcome,
                newReason, newNotes, newActions, attempts, nextAttemptAt, null);
    }

    public StoredMessage retryAt(Instant next, int attemptCount) {
        return new StoredMessage(messageId, receivedAt, listId, sender, person, subject, inReplyTo, proposal, outcome,
                reason, notes, actions, attemptCount, next, raw);
    }

    /** Waiting, undecided, for an earlier message of its thread. */
    public boolean undecided() {
        return raw != null;
    }
}
