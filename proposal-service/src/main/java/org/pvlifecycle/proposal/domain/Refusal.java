package org.pvlifecycle.proposal.domain;

import org.pvlifecycle.events.decider.CommandRefusal;

/**
 * A command the proposal's rules refuse, with why. {@code field} names the request field at
 * fault for {@link Reason#INVALID}.
 */
public class Refusal extends RuntimeException implements CommandRefusal {

    public enum Reason {
        /** No such proposal. */
        UNKNOWN,
        /** A proposal with that id exists already. */
        ALREADY_EXISTS,
        /** Only the owner (or, to withdraw, the Czar) may do this. */
        NOT_OWNER,
        /** The proposal is WITHDRAWN or STABLE: nothing but a read works. */
        CLOSED,
        /** A review window of the current stage is still open. */
        WINDOW_OPEN,
        /** A field's value breaks a rule. */
        INVALID
    }

    private final Reason reason;
    private final String field;

    public Refusal(Reason reason, String message) {
        this(reason, null, message);
    }

    public Refusal(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    @Override
    public Reason reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
