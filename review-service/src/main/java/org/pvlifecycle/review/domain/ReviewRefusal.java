package org.pvlifecycle.review.domain;

import org.pvlifecycle.events.decider.CommandRefusal;

/** A review command the rules refuse: unknown (404), a rule (409) or a field (422). */
public class ReviewRefusal extends RuntimeException implements CommandRefusal {
    public enum Reason { UNKNOWN, CLOSED, NOT_ALLOWED, WRONG_STATUS, INVALID }

    private final Reason reason;
    private final String field;

    public ReviewRefusal(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public ReviewRefusal(Reason reason, String message) {
        this(reason, null, message);
    }

    @Override
    public Reason reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
