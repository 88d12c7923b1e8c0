package org.pvlifecycle.events;

import java.util.Optional;

/** The stages of docs/rules.md, in the order a proposal moves through them. */
public enum Stage {
    DESIGN, PROTOTYPE, PRODUCTION, STABLE, WITHDRAWN;

    /** The stage the Czar may advance to from this one; empty for the terminal stages. */
    public Optional<Stage> next() {
        return switch (this) {
            case DESIGN -> Optional.of(PROTOTYPE);
            case PROTOTYPE -> Optional.of(PRODUCTION);
            case PRODUCTION -> Optional.of(STABLE);
            case STABLE, WITHDRAWN -> Optional.empty();
        };
    }

    public boolean isTerminal() {
        return this == STABLE || this == WITHDRAWN;
    }
}
