package org.pvlifecycle.review.domain;

import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.Source;

import java.time.Instant;

/**
 * What can be asked of a proposal's review. {@code actor} is the token's subject, or the list
 * member the mail gateway acts for; {@code source}, on the commands a list message can cause, is
 * that message, and null for a command sent over REST (docs/api.md#the-mail-gateway).
 */
public sealed interface ReviewCommand {
    String actor();

    Instant now();

    record Raise(String actor, Instant now, ObjectionCategory category, String section,
            String rationale, Source source) implements ReviewCommand {
    }

    record Answer(String actor, Instant now, String objectionId, String text, Source source) implements ReviewCommand {
    }

    record Reaffirm(String actor, Instant now, String objectionId, String text, Source source)
            implements ReviewCommand {
    }

    record Withdraw(String actor, Instant now, String objectionId, String text, Source source)
            implements ReviewCommand {
    }

    record Overrule(String actor, Instant now, String objectionId, String rationale) implements ReviewCommand {
    }

    record GiveAck(String actor, Instant now, AckKind kind, String component, Source source) implements ReviewCommand {
    }

    record RetractAck(String actor, Instant now, String ackId, Source source) implements ReviewCommand {
    }
}
