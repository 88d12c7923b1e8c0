package org.pvlifecycle.events;

/**
 * {@code pv.proposal.review-requested.v1}: the owner asked for review of the current stage. The
 * consensus service opens the window; its length comes from the policy, so it is not in here.
 */
public record ReviewRequested(
        String proposalId,
        Stage stage,
        int revision) implements LifecycleEvent {
}
