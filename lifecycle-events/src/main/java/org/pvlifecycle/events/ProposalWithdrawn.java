package org.pvlifecycle.events;

/** {@code pv.proposal.withdrawn.v1}: the owner or the Czar withdrew the proposal; it is terminal. */
public record ProposalWithdrawn(
        String proposalId,
        Stage fromStage,
        String reason) implements LifecycleEvent {
}
