package org.pvlifecycle.proposal.domain;

import org.pvlifecycle.events.decider.CommandRefusal;

import static org.pvlifecycle.events.decider.CommandRefusal.Kind.NOT_FOUND;
import static org.pvlifecycle.events.decider.CommandRefusal.Kind.RULE;

/** A command the proposal's rules refuse, with why; {@code field} names the field at fault for {@link Reason#INVALID}. */
public class ProposalRefusal extends CommandRefusal {
    public enum Reason implements CommandRefusal.Reason {
        /** No such proposal. */
        UNKNOWN(NOT_FOUND, "not-found", "Not found"),
        /** A proposal with that id exists already. */
        ALREADY_EXISTS(RULE, "already-exists", "Already exists"),
        /** Only the owner (or, to withdraw, the Czar) may do this. */
        NOT_OWNER(RULE, "not-the-owner", "Not the owner"),
        /** The proposal is WITHDRAWN or STABLE: nothing but a read works. */
        CLOSED(RULE, "proposal-closed", "Proposal closed"),
        /** A review window of the current stage is still open. */
        WINDOW_OPEN(RULE, "review-window-open", "Review window open"),
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

    public ProposalRefusal(Reason reason, String message) {
        this(reason, null, message);
    }

    public ProposalRefusal(Reason reason, String field, String message) {
        super(field, message);
        this.reason = reason;
    }

    @Override
    public Reason reason() {
        return reason;
    }
}
