package org.pvlifecycle.review.domain;

import org.pvlifecycle.events.decider.CommandRefusal;

import static org.pvlifecycle.events.decider.CommandRefusal.Rule.INVALID_REQUEST;
import static org.pvlifecycle.events.decider.CommandRefusal.Rule.NOT_FOUND;
import static org.pvlifecycle.events.decider.CommandRefusal.Rule.byRule;

/** A review command the rules refuse, with why; {@code field} names the field at fault for {@link Reason#INVALID}. */
public class ReviewRefusal extends CommandRefusal {
    public enum Reason implements CommandRefusal.Reason {
        /** No such proposal or objection. */
        UNKNOWN(NOT_FOUND),
        /** The proposal is WITHDRAWN or STABLE. */
        CLOSED(byRule("proposal-closed", "Proposal closed")),
        /** Someone other than who may do it (the objection's author, the proposal's owner, the Czar). */
        NOT_ALLOWED(byRule("not-allowed", "Not yours to do")),
        /** The objection is not in a state where this step applies. */
        WRONG_STATUS(byRule("wrong-status", "Not in that state")),
        /** A field's value breaks a rule. */
        INVALID(INVALID_REQUEST);

        private final Rule rule;

        Reason(Rule rule) {
            this.rule = rule;
        }

        @Override
        public Rule rule() {
            return rule;
        }
    }

    public ReviewRefusal(Reason reason, String message) {
        super(reason, null, message);
    }

    public ReviewRefusal(Reason reason, String field, String message) {
        super(reason, field, message);
    }

    @Override
    public Reason reason() {
        return (Reason) super.reason();
    }
}
