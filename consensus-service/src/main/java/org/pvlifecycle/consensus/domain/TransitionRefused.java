package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.Blocker;

import java.util.List;

/** A transition the rules refuse: unknown proposal (404), a rule (409, with blockers), a field (422). */
public class TransitionRefused extends RuntimeException {
    public enum Reason { UNKNOWN, NOT_NEXT_STAGE, CLOSED, ALREADY_DECIDED, NOT_ELIGIBLE, RATIONALE_REQUIRED }

    private final Reason reason;
    private final List<Blocker> blockers;

    public TransitionRefused(Reason reason, String message, List<Blocker> blockers) {
        super(message);
        this.reason = reason;
        this.blockers = List.copyOf(blockers);
    }

    public TransitionRefused(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public Reason reason() {
        return reason;
    }

    public List<Blocker> blockers() {
        return blockers;
    }
}
