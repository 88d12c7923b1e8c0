package org.pvlifecycle.events;

/** Who decided a transition: the Czar in person, or the system under lazy consensus (docs/rules.md). */
public enum DecisionKind {
    CZAR, AUTO_LAZY_CONSENSUS
}
