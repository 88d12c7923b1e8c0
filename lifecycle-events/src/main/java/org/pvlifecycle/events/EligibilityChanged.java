package org.pvlifecycle.events;

import java.time.Instant;
import java.util.List;

/**
 * {@code pv.consensus.eligibility-changed.v1}: the whole eligibility answer, emitted whenever the
 * eligible flag, the set of blockers or the window's end changes, and never otherwise.
 */
public record EligibilityChanged(
        String proposalId,
        Stage stage,
        boolean eligible,
        List<Blocker> blockers,
        Instant windowEndsAt,
        Instant nextDeadline,
        Instant decisionOverdueSince,
        long policyVersion) implements LifecycleEvent {
}
