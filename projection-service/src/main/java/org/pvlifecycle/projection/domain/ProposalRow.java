package org.pvlifecycle.projection.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One row of {@code GET /proposals}: a {@link SummaryRow} as of an instant, its fields in the
 * order the answer writes them. Here rather than beside the resource because the row's JSON is
 * also written ahead, with each refresh of the summary (persistence.ProposalViews#listRow).
 */
public record ProposalRow(String id, String title, String owner, String stage, Duration timeInStage,
        boolean eligible, int blockerCount, int openObjections, int acks, boolean decisionOverdue,
        List<SummaryRow.BlockerLine> blockers, Instant nextDeadline) {

    public static ProposalRow of(SummaryRow r, Duration timeInStage) {
        return new ProposalRow(r.id(), r.title(), r.owner(), r.stage(), timeInStage, r.eligible(), r.blockerCount(),
                r.openObjections(), r.acks(), r.decisionOverdue(), r.blockers(), r.nextDeadline());
    }
}
