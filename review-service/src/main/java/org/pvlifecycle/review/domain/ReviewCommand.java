package org.pvlifecycle.review.domain;

import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.ObjectionCategory;

import java.time.Instant;

/** What can be asked of a proposal's review; {@code actor} is the token's subject. */
public sealed interface ReviewCommand {
    String actor();

    Instant now();

    record Raise(String actor, Instant now, ObjectionCategory category, String section,
            String rationale) implements ReviewCommand {
    }

    record Answer(String actor, Instant now, String objectionId, String text) implements ReviewCommand {
    }

    record Reaffirm(String actor, Instant now, String objectionId, String text) implements ReviewCommand {
    }

    record Withdraw(String actor, Instant now, String objectionId, String text) implements ReviewCommand {
    }

    record Overrule(String actor, Instant now, String objectionId, String rationale) implements ReviewCommand {
    }

    record GiveAck(String actor, Instant now, AckKind kind, String component) implements ReviewCommand {
    }

    record RetractAck(String actor, Instant now, String ackId) implements ReviewCommand {
    }
}
