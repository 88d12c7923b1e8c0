package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.Stage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Eligibility for the next stage (docs/rules.md) as a pure function of the proposal's state, the
 * policy and the time: every blocker named, the window's end, and the next instant at which the
 * answer can change by the clock alone.
 */
public final class Eligibility {

    /** The answer of {@code GET /proposals/{id}/eligibility}. */
    public record Answer(
            Stage stage,
            boolean eligible,
            List<Blocker> blockers,
            Instant windowEndsAt,
            Instant nextDeadline,
            Instant decisionOverdueSince,
            long policyVersion) {
    }

    static final Map<Stage, List<EvidenceKind>> REQUIRED_EVIDENCE = Map.of(
            Stage.DESIGN, List.of(EvidenceKind.DESIGN_COMMITTED),
            Stage.PROTOTYPE, List.of(EvidenceKind.PATCHES_POSTED, EvidenceKind.UPSTREAM_COMMITTED),
            Stage.PRODUCTION, List.of(EvidenceKind.COMPAT_PROMISES, EvidenceKind.VERSION_BUMPED));

    public static Answer evaluate(ProposalState p, Policy policy, Instant now) {
        if (p.stage().isTerminal()) {
            return new Answer(p.stage(), false, List.of(), null, null, null, policy.version());
        }
        List<Blocker> blockers = new ArrayList<>();
        List<Instant> clockChanges = new ArrayList<>();

        Instant windowEndsAt = windowEnd(p, policy);
        if (windowEndsAt == null) {
            blockers.add(blocker("NO_REVIEW_REQUESTED", "No review of " + p.stage() + " has been requested",
                    null, null, null, null, null, null));
        } else if (now.isBefore(windowEndsAt)) {
            blockers.add(blocker("WINDOW_OPEN", "The review window is open until " + windowEndsAt,
                    null, null, null, null, null, windowEndsAt));
            clockChanges.add(windowEndsAt);
        }

        for (ProposalState.Objection o : p.objections().values()) {
            if (blocks(o, policy, now)) {
                blockers.add(blocker("OBJECTION_BLOCKING", "Objection " + o.objectionId() + " by " + o.author()
                        + " is " + o.status() + (o.respondBy() != null && o.status() == ProposalState.ObjectionStatus.ANSWERED
                        ? " (its author may respond until " + o.respondBy() + ")" : ""),
                        o.objectionId(), o.author(), null, null, null, null));
                if (o.status() == ProposalState.ObjectionStatus.ANSWERED && o.respondBy() != null) {
                    clockChanges.add(o.respondBy());
                }
            }
        }

        if (p.stage() == Stage.DESIGN) {
            for (String section : p.missingSections()) {
                blockers.add(blocker("SECTION_MISSING", "The current spec revision has no " + section + " section",
                        null, null, null, null, section, null));
            }
        }
        for (EvidenceKind kind : REQUIRED_EVIDENCE.getOrDefault(p.stage(), List.of())) {
            if (!p.evidence().contains(kind)) {
                blockers.add(blocker("EVIDENCE_MISSING", "Evidence " + kind + " has not been recorded",
                        null, null, kind, null, null, null));
            }
        }
        if (p.stage() == Stage.PROTOTYPE) {
            for (String component : p.components()) {
                boolean acked = p.acks().values().stream().anyMatch(a -> a.stage() == Stage.PROTOTYPE
                        && a.component().equals(component)
                        && (a.kind() == AckKind.ACKED_BY || a.kind() == AckKind.REVIEWED_BY)
                        && policy.isMaintainer(a.author(), component));
                if (!acked) {
                    blockers.add(blocker("ACK_MISSING", "No maintainer of " + component
                            + (policy.isOrphan(component) ? " (it has none of its own: THE REST's maintainers stand in)" : "")
                            + " has given ACKED_BY or REVIEWED_BY in PROTOTYPE", null, null, null, component, null, null));
                }
            }
        }
        if (p.stage() == Stage.PRODUCTION && p.acks().values().stream()
                .noneMatch(a -> a.stage() == Stage.PRODUCTION && a.kind() == AckKind.TESTED_BY)) {
            blockers.add(blocker("ACK_MISSING", "No TESTED_BY ack has been given in PRODUCTION",
                    null, null, null, null, null, null));
        }

        boolean eligible = blockers.isEmpty();
        Instant overdueSince = null;
        if (eligible && p.eligibleSince() != null && p.pendingTransitionTo() == null) {
            Instant due = p.eligibleSince().plus(policy.czarDecisionWindow());
            if (now.isBefore(due)) {
                clockChanges.add(due);
            } else {
                overdueSince = due;
            }
        }
        Instant nextDeadline = clockChanges.stream().filter(now::isBefore).min(Comparator.naturalOrder()).orElse(null);
        return new Answer(p.stage(), eligible, List.copyOf(blockers), windowEndsAt, nextDeadline, overdueSince,
                policy.version());
    }

    /**
     * The end of the current stage's review window: the request plus the stage's window, moved to
     * at least each revision published while it was open plus the re-review period. Null while no
     * review of this stage has been requested.
     */
    public static Instant windowEnd(ProposalState p, Policy policy) {
        if (p.reviewRequestedAt() == null) {
            return null;
        }
        Instant end = p.reviewRequestedAt().plus(policy.reviewWindow(p.stage()));
        for (Instant revision : p.revisionsSinceRequest()) {
            if (revision.isBefore(end)) {
                Instant extended = revision.plus(policy.reReviewPeriod());
                if (extended.isAfter(end)) {
                    end = extended;
                }
            }
        }
        return end;
    }

    /** Live objections block (late ones only by policy); an answered one stops at its respond-by time. */
    static boolean blocks(ProposalState.Objection o, Policy policy, Instant now) {
        boolean live = switch (o.status()) {
            case OPEN, REAFFIRMED -> true;
            case ANSWERED -> o.respondBy() == null || now.isBefore(o.respondBy());
            case WITHDRAWN, OVERRULED, LAPSED -> false;
        };
        return live && (!o.late() || policy.lateObjectionsBlock());
    }

    static Blocker blocker(String code, String message, String objectionId, String by,
            org.pvlifecycle.events.EvidenceKind kind, String component, String section, Instant until) {
        return new Blocker(code, message, objectionId, by, kind, component, section, until);
    }

    /** Blockers compared without their sentences: what changed is what they name. */
    public static List<String> identities(List<Blocker> blockers) {
        return blockers.stream().flatMap(b -> Stream.of(b.code() + "|" + b.objectionId() + "|" + b.evidenceKind()
                + "|" + b.component() + "|" + b.section() + "|" + b.until())).sorted().toList();
    }

    private Eligibility() {
    }
}
