package org.pvlifecycle.proposal.domain;

import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;

import java.util.ArrayList;
import java.util.List;

/** {@code apply(state, event) → state}: how each of the proposal's own events changes it. */
public final class ProposalEvolution {

    public static Proposal apply(Proposal p, EventEnvelope<LifecycleEvent> envelope) {
        LifecycleEvent event = envelope.data();
        if (event instanceof ProposalSubmitted e) {
            return new Proposal(e.proposalId(), e.title(), e.summary(), e.owner(), List.copyOf(e.components()),
                    Stage.DESIGN, e.revision(), e.spec(), e.missingSections(), e.warnings(), List.of(), null, null,
                    envelope.time(), envelope.time(), e.paths() == null ? List.of() : List.copyOf(e.paths()));
        }
        if (event instanceof ProposalRevised e) {
            // A revision without paths (every one written before they existed) leaves them as they were.
            return new Proposal(p.id(), p.title(), p.summary(), p.owner(), p.components(), p.stage(), e.revision(),
                    e.spec(), e.missingSections(), e.warnings(), p.evidence(), p.reviewRequestedFor(),
                    p.reviewRequestedAt(), p.submittedAt(), p.stageEnteredAt(),
                    e.paths() == null ? p.paths() : List.copyOf(e.paths()));
        }
        if (event instanceof EvidenceRecorded e) {
            List<EvidenceRecorded> evidence = new ArrayList<>(p.evidence());
            evidence.add(e);
            return new Proposal(p.id(), p.title(), p.summary(), p.owner(), p.components(), p.stage(), p.revision(),
                    p.spec(), p.missingSections(), p.warnings(), List.copyOf(evidence), p.reviewRequestedFor(),
                    p.reviewRequestedAt(), p.submittedAt(), p.stageEnteredAt(), p.paths());
        }
        if (event instanceof ReviewRequested e) {
            return new Proposal(p.id(), p.title(), p.summary(), p.owner(), p.components(), p.stage(), p.revision(),
                    p.spec(), p.missingSections(), p.warnings(), p.evidence(), e.stage(), envelope.time(),
                    p.submittedAt(), p.stageEnteredAt(), p.paths());
        }
        if (event instanceof StageAdvanced e) {
            return withStage(p, e.to(), envelope);
        }
        if (event instanceof ProposalWithdrawn) {
            return withStage(p, Stage.WITHDRAWN, envelope);
        }
        return p;
    }

    private static Proposal withStage(Proposal p, Stage stage, EventEnvelope<LifecycleEvent> envelope) {
        return new Proposal(p.id(), p.title(), p.summary(), p.owner(), p.components(), stage, p.revision(), p.spec(),
                p.missingSections(), p.warnings(), p.evidence(), p.reviewRequestedFor(), p.reviewRequestedAt(),
                p.submittedAt(), envelope.time(), p.paths());
    }

    private ProposalEvolution() {
    }
}
