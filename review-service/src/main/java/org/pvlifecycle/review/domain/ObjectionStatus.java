package org.pvlifecycle.review.domain;

/** The life of an objection (docs/rules.md): OPEN → ANSWERED → REAFFIRMED → ANSWERED ..., ending WITHDRAWN, OVERRULED or LAPSED. */
public enum ObjectionStatus {
    OPEN, ANSWERED, REAFFIRMED, WITHDRAWN, OVERRULED, LAPSED;

    /** Open, answered and reaffirmed objections block; the rest are resolved. */
    public boolean isLive() {
        return this == OPEN || this == ANSWERED || this == REAFFIRMED;
    }
}
