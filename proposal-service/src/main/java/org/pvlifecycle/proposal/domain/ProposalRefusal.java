package org.pvlifecycle.proposal.domain;

import org.pvlifecycle.events.decider.CommandRefusal;

import static org.pvlifecycle.events.decider.CommandRefusal.Rule.INVALID_REQUEST;
import static org.pvlifecycle.events.decider.CommandRefusal.Rule.NOT_FOUND;
import static org.pvlifecycle.events.decider.CommandRefusal.Rule.byRule;

/** A command the proposal's rules refuse, with why; {@code field} names the field at fault for {@link Reason#INVALID}. */
public class ProposalRefusal extends CommandRefusal {
    public enum Reason implements CommandRefusal.Reason {
        /** No such proposal. */
        UNKNOWN(NOT_FOUND),
        /** A proposal with that id exists already. */
        ALREADY_EXISTS(byRule("already-exists", "Already exists")),
        /** Only the owner (or, to withdraw, the Czar) may do this. */
        NOT_OWNER(byRule("not-the-owner", "Not the owner")),
        /** The proposal is WITHDRAWN or STABLE: nothing but a read works. */
        CLOSED(byRule("proposal-closed", "Proposal closed")),
        /** A review window of the current stage is still open. */
        WINDOW_OPEN(byRule("review-window-open", "Review window open")),
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

    public ProposalRefusal(Reason reason, String message) {
        super(reason, null, message);
    }

    public ProposalRefusal(Reason reason, String field, String message) {
        super(reason, field, message);
    }

    @Override
    public Reason reason() {
        return (Reason) super.reason();
    }
}
