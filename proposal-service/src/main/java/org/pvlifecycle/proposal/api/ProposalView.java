package org.pvlifecycle.proposal.api;

import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.proposal.domain.Proposal;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /proposals/{id}} of the owning service: its own state, at {@code version}. {@code paths}
 * is an empty list when the proposal names none.
 */
public record ProposalView(
        String id,
        String title,
        String summary,
        String owner,
        Stage stage,
        List<String> components,
        int revision,
        String spec,
        List<EvidenceRecorded> evidence,
        List<String> warnings,
        List<String> missingSections,
        Stage reviewRequestedFor,
        Instant submittedAt,
        Instant stageEnteredAt,
        List<String> paths,
        long version) {

    static ProposalView of(Proposal p, long version) {
        return new ProposalView(p.id(), p.title(), p.summary(), p.owner(), p.stage(), p.components(), p.revision(),
                p.spec(), p.evidence(), p.warnings(), p.missingSections(), p.reviewRequestedFor(), p.submittedAt(),
                p.stageEnteredAt(), p.paths(), version);
    }
}
