package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.Stage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the consensus service knows of one proposal, folded from the proposal and review services'
 * events, plus its own bookkeeping: what it last announced, since when the proposal is eligible,
 * whether the overdue notice went out, and a decision awaiting the proposal service.
 */
public record ProposalState(
        String proposalId,
        String owner,
        Stage stage,
        List<String> components,
        List<String> missingSections,
        Set<EvidenceKind> evidence,
        Instant reviewRequestedAt,
        List<Instant> revisionsSinceRequest,
        Map<String, Objection> objections,
        Map<String, Ack> acks,
        Announced announced,
        Instant eligibleSince,
        boolean overdueNotified,
        Stage pendingTransitionTo) {

    public record Objection(String objectionId, String author, Stage stage, boolean late, ObjectionStatus status,
            Instant respondBy) {
    }

    public enum ObjectionStatus { OPEN, ANSWERED, REAFFIRMED, WITHDRAWN, OVERRULED, LAPSED }

    public record Ack(String ackId, String author, AckKind kind, String component, Stage stage) {
    }

    /** The eligibility last announced with {@code eligibility-changed}: what a change is measured against. */
    public record Announced(boolean eligible, List<Blocker> blockers, Instant windowEndsAt) {
    }

    public static ProposalState submitted(String proposalId, String owner, List<String> components,
            List<String> missingSections) {
        return new ProposalState(proposalId, owner, Stage.DESIGN, List.copyOf(components),
                List.copyOf(missingSections), Set.of(), null, List.of(), Map.of(), Map.of(), null, null, false, null);
    }
}
