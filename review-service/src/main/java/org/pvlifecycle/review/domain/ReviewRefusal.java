package org.pvlifecycle.review.domain;

import org.pvlifecycle.events.decider.CommandRefusal;

import static org.pvlifecycle.events.decider.CommandRefusal.Kind.NOT_FOUND;
import static org.pvlifecycle.events.decider.CommandRefusal.Kind.RULE;

/** A review command the rules refuse, with why; {@code field} names the field at fault for {@link Reason#INVALID}. */
public class ReviewRefusal extends CommandRefusal {
    public enum Reason implements CommandRefusal.Reason {
        /** No such proposal or objection. */
        UNKNOWN(NOT_FOUND, "not-found", "Not found"),
        /** The proposal is WITHDRAWN or STABLE. */
        CLOSED(RULE, "proposal-closed", "Proposal closed"),
        /** Someone other than who may do it (the objection's author, the proposal's owner, the Czar). */
        NOT_ALLOWED(RULE, "not-allowed", "Not yours to do"),
        /** The objection is not in a state where this step applies. */
        WRONG_STATUS(RULE, "wrong-status", "Not in that state"),
        /** A field's value breaks a rule. */
        INVALID(CommandRefusal.Kind.INVALID, "invalid-request", "Invalid request");

        private final Kind kind;
        private final String type;
        private final String title;

        Reason(Kind kind, String type, String title) {
            this.kind = kind;
            this.type = type;
            this.title = title;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String title() {
            return title;
        }
    }

    private final Reason reason;

    public ReviewRefusal(Reason reason, String message) {
        this(reason, null, message);
    }

    public ReviewRefusal(Reason reason, String field, String message) {
        super(field, message);
        this.reason = reason;
    }

    @Override
    public Reason reason() {
        return reason;
    }
}
