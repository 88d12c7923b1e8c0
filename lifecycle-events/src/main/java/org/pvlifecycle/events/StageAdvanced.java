package org.pvlifecycle.events;

/**
 * {@code pv.proposal.stage-advanced.v1}: the proposal service applied a {@link TransitionDecided};
 * {@code decisionId} is the id of that decision's event.
 */
public record StageAdvanced(
        String proposalId,
        Stage from,
        Stage to,
        String decisionId,
        DecisionKind decision,
        String decidedBy,
        boolean override,
        String rationale) implements LifecycleEvent {
}
