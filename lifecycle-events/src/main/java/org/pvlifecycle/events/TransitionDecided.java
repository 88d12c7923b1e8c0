package org.pvlifecycle.events;

import java.util.List;

/**
 * {@code pv.consensus.transition-decided.v1}: the Czar (or lazy consensus itself) decided that the
 * proposal moves {@code from} → {@code to}. An override records the blockers it went past.
 */
public record TransitionDecided(
        String proposalId,
        Stage from,
        Stage to,
        DecisionKind decision,
        String decidedBy,
        boolean override,
        String rationale,
        List<Blocker> overriddenBlockers) implements LifecycleEvent {
}
