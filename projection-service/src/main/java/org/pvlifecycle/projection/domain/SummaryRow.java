package org.pvlifecycle.projection.domain;

import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.EligibilityChanged;

import java.time.Instant;
import java.util.List;

/** One row of the list model, as derived from a proposal's history. */
public record SummaryRow(
        String id,
        String title,
        String summary,
        String owner,
        String stage,
        Instant stageEnteredAt,
        boolean eligible,
        int blockerCount,
        int openObjections,
        int acks,
        boolean decisionOverdue,
        List<BlockerLine> blockers,
        Instant nextDeadline) {

    /** A blocker as the list shows it: its code and its sentence. */
    public record BlockerLine(String code, String message) {
    }

    public static SummaryRow of(ProposalHistory h) {
        EligibilityChanged e = h.eligibility();
        // An announcement about an earlier stage says nothing of the current one.
        boolean current = e != null && e.stage() == h.stage();
        boolean eligible = current && e.eligible();
        return new SummaryRow(h.id(), h.title(), h.summary() == null ? "" : h.summary(), h.owner(), h.stage().name(),
                h.stageEnteredAt(), eligible, current ? e.blockers().size() : 0, (int) h.openObjections(),
                (int) h.liveAcks(), eligible && e.decisionOverdueSince() != null,
                current ? e.blockers().stream().map(b -> new BlockerLine(b.code(), b.message())).toList() : List.of(),
                current ? nextDeadline(e, h) : null);
    }

    /**
     * The answer's next deadline, or sooner the {@code respondBy} of an objection it names as
     * blocking that has been answered since. Consensus announces an answer again only when its
     * blockers change, and an answer changes none (the objection blocks as before), so the
     * announced deadline says nothing of the response window the owner's answer opened: the clock
     * a reviewer watches.
     */
    static Instant nextDeadline(EligibilityChanged answer, ProposalHistory h) {
        Instant next = answer.nextDeadline();
        for (Blocker b : answer.blockers()) {
            if (b.objectionId() == null) {
                continue;
            }
            for (ProposalHistory.Objection o : h.objections()) {
                if (o.objectionId().equals(b.objectionId()) && "ANSWERED".equals(o.status()) && o.respondBy() != null
                        && (next == null || o.respondBy().isBefore(next))) {
                    next = o.respondBy();
                }
            }
        }
        return next;
    }
}
