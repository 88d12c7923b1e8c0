package org.pvlifecycle.events;

import java.time.Instant;

/**
 * {@code pv.consensus.decision-overdue.v1}: the proposal has been eligible for the policy's
 * decision window without a decision. Emitted once per eligible spell.
 */
public record DecisionOverdue(
        String proposalId,
        Stage stage,
        Instant eligibleSince,
        Instant overdueSince) implements LifecycleEvent {
}
