package org.pvlifecycle.mail.domain;

import org.pvlifecycle.events.ObjectionCategory;

/**
 * One review command a list message causes (docs/mail.md), for the person who sent it: the same
 * command a REST client sends to the review service, which the mail gateway sends on their behalf.
 */
public sealed interface MailAction {

    /** The person the command is for. */
    String actor();

    /** {@code Acked-by:} / {@code Reviewed-by:} of a maintainer: an ack for one component. */
    record GiveAck(String actor, AckKind kind, String component) implements MailAction {
    }

    /** A NACK with a specific reason: an objection. */
    record Raise(String actor, ObjectionCategory category, String section, String rationale) implements MailAction {
    }

    /** The proposal owner's reply in an objection's thread. */
    record Answer(String actor, String objectionId, String text) implements MailAction {
    }

    /** The objection author's reply to an answer, not withdrawing. */
    record Reaffirm(String actor, String objectionId, String text) implements MailAction {
    }

    /** The objection author's reply that withdraws it; {@code text} may be null. */
    record Withdraw(String actor, String objectionId, String text) implements MailAction {
    }
}
