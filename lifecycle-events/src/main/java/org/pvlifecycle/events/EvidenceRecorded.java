package org.pvlifecycle.events;

/** {@code pv.proposal.evidence-recorded.v1}: the owner recorded evidence; once recorded it stays. */
public record EvidenceRecorded(
        String proposalId,
        String evidenceId,
        Stage stage,
        EvidenceKind kind,
        String reference,
        EvidenceDetail detail) implements LifecycleEvent {
}
