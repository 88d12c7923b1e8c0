package org.pvlifecycle.mail.domain;

import java.util.Optional;

/**
 * What a reply in an objection's thread does to the objection (docs/mail.md, and the objection
 * lifecycle of docs/rules.md): the objection's author withdraws it whenever their reply
 * {@link Statements#withdraws() says so}; the proposal's owner answers it when it is open or
 * reaffirmed; the author reaffirms it when it is answered. Any other reply does nothing, and says why.
 */
public record ThreadReply(Optional<Step> step, String reason) {

    public enum Step { ANSWER, REAFFIRM, WITHDRAW }

    /** The objection's status, as docs/rules.md names them. */
    public enum ObjectionStatus {
        OPEN, ANSWERED, REAFFIRMED, WITHDRAWN, OVERRULED, LAPSED;

        boolean isFinal() {
            return this == WITHDRAWN || this == OVERRULED || this == LAPSED;
        }
    }

    /**
     * @param sender    the person the reply's sender is (through the identity map)
     * @param owner     the proposal's owner
     * @param author    the objection's author
     * @param withdraws whether the reply's own lines withdraw ({@link Statements#withdraws()})
     */
    public static ThreadReply of(String sender, String owner, String author, ObjectionStatus status, boolean withdraws) {
        if (status.isFinal()) {
            return none("the objection is " + status + " already");
        }
        boolean byAuthor = sender.equals(author);
        if (byAuthor && withdraws) {
            return step(Step.WITHDRAW, "the objection's author withdraws it");
        }
        if (sender.equals(owner)) {
            if (status == ObjectionStatus.ANSWERED) {
                return none("the owner has answered already; the author's reply comes next");
            }
            return step(Step.ANSWER, "the proposal's owner answers");
        }
        if (byAuthor) {
            if (status == ObjectionStatus.ANSWERED) {
                return step(Step.REAFFIRM, "the objection's author replies to the answer without withdrawing");
            }
            return none("the objection is " + status + ": the author reaffirms only after an answer");
        }
        return none("neither the proposal's owner nor the objection's author");
    }

    private static ThreadReply step(Step step, String reason) {
        return new ThreadReply(Optional.of(step), reason);
    }

    private static ThreadReply none(String reason) {
        return new ThreadReply(Optional.empty(), reason);
    }
}
