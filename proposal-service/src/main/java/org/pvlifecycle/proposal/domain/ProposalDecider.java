package org.pvlifecycle.proposal.domain;

import org.pvlifecycle.events.EvidenceDetail;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.events.decider.Decider;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * {@code decide(command, state) → events}: the proposal's rules (docs/rules.md, docs/api.md). It refuses
 * with a {@link ProposalRefusal}; it never does I/O.
 */
public final class ProposalDecider {

    /**
     * The proposal's rules, folded from {@link Proposal#NONE} by {@link ProposalEvolution}. Its state
     * is kept as a snapshot: a proposal revised a thousand times is not folded from its first
     * event for each command.
     */
    public static final Decider<ProposalCommand, Proposal, LifecycleEvent> DECIDER = Decider.of(Proposal.NONE,
            ProposalDecider::decide, ProposalEvolution::apply).snapshotted("proposal.v1", Proposal.class);

    private static List<LifecycleEvent> decide(ProposalCommand command, Proposal state) {
        if (command instanceof ProposalCommand.Submit c) {
            if (state.exists()) {
                throw new ProposalRefusal(ProposalRefusal.Reason.ALREADY_EXISTS, "id", "proposal " + c.id() + " exists already");
            }
            SpecAnalysis analysis = SpecAnalysis.of(c.spec());
            // No paths are written as none at all, so that a submission without them reads as before.
            List<String> paths = c.paths() == null || c.paths().isEmpty() ? null : distinct(c.paths());
            return List.of(new ProposalSubmitted(c.id(), c.title(), c.summary(), c.actor(),
                    List.copyOf(c.components()), 1, c.spec(), analysis.missingSections(), analysis.warnings(), paths));
        }
        if (command instanceof ProposalCommand.ApplyTransition c) {
            return applyTransition(c, state);
        }
        requireExists(state);
        requireOpen(state);
        if (command instanceof ProposalCommand.Withdraw c) {
            if (!state.isOwnedBy(c.actor()) && !c.actorIsCzar()) {
                throw new ProposalRefusal(ProposalRefusal.Reason.NOT_OWNER, "only the owner or the Czar may withdraw " + state.id());
            }
            return List.of(new ProposalWithdrawn(state.id(), state.stage(), c.reason()));
        }
        requireOwner(state, command.actor());
        if (command instanceof ProposalCommand.Revise c) {
            SpecAnalysis analysis = SpecAnalysis.of(c.spec());
            return List.of(new ProposalRevised(state.id(), state.revision() + 1, c.spec(), c.note(),
                    analysis.missingSections(), analysis.warnings(), c.paths() == null ? null : distinct(c.paths())));
        }
        if (command instanceof ProposalCommand.RecordEvidence c) {
            checkDetail(c);
            return List.of(new EvidenceRecorded(state.id(), c.evidenceId(), state.stage(), c.kind(), c.reference(),
                    onlyFieldsOf(c)));
        }
        if (command instanceof ProposalCommand.RequestReview c) {
            // The window of this stage's last request is open until the consensus service says when
            // it ends; an announced end from before that request belongs to an older window.
            boolean windowOpen = state.reviewRequestedForCurrentStage()
                    && (c.windowEndsAt() == null || c.windowEndsAt().isBefore(state.reviewRequestedAt())
                        || c.now().isBefore(c.windowEndsAt()));
            if (windowOpen) {
                String until = c.windowEndsAt() == null || c.windowEndsAt().isBefore(state.reviewRequestedAt())
                        ? "its end is not announced yet" : "until " + c.windowEndsAt();
                throw new ProposalRefusal(ProposalRefusal.Reason.WINDOW_OPEN,
                        "the review window of " + state.stage() + " is open (" + until + ")");
            }
            return List.of(new ReviewRequested(state.id(), state.stage(), state.revision()));
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    /**
     * Applied only while the proposal is still in the decision's {@code from} stage; else nothing,
     * not a refusal: the decision was taken elsewhere and is already history.
     */
    private static List<LifecycleEvent> applyTransition(ProposalCommand.ApplyTransition c, Proposal state) {
        if (whyTransitionIgnored(c, state).isPresent()) {
            return List.of();
        }
        return List.of(new StageAdvanced(state.id(), c.from(), c.to(), c.decisionId(), c.decision(), c.decidedBy(),
                c.override(), c.rationale()));
    }

    /** Why a transition decision is not applied, for the log; empty when it is. */
    public static Optional<String> whyTransitionIgnored(ProposalCommand.ApplyTransition c, Proposal state) {
        if (!state.exists()) {
            return Optional.of("the proposal is unknown");
        }
        if (state.stage() != c.from()) {
            return Optional.of("the proposal is in " + state.stage() + ", not " + c.from());
        }
        if (!Optional.of(c.to()).equals(c.from().next())) {
            return Optional.of(c.to() + " does not follow " + c.from());
        }
        return Optional.empty();
    }

    private static void checkDetail(ProposalCommand.RecordEvidence c) {
        EvidenceDetail d = c.detail() == null ? EvidenceDetail.none() : c.detail();
        switch (c.kind()) {
            case PATCHES_POSTED -> requireText(d.list(), "detail.list", "names the list the patches were posted to");
            case UPSTREAM_COMMITTED -> requireText(d.repository(), "detail.repository",
                    "names the repository the commit is in");
            case COMPAT_PROMISES -> {
                requireText(d.backward(), "detail.backward", "is the backward-compatibility statement");
                requireText(d.crossPlatform(), "detail.crossPlatform", "is the cross-platform statement");
            }
            case VERSION_BUMPED -> {
                if (d.version() == null || d.version() < 1) {
                    throw new ProposalRefusal(ProposalRefusal.Reason.INVALID, "detail.version",
                            "must be the protocol version now promised, a positive integer");
                }
            }
            case DESIGN_COMMITTED -> {
                // The reference (the design document's commit in xen.git) is all it needs.
            }
        }
    }

    /** The detail with only the fields of its kind, so that stray fields are not recorded forever. */
    private static EvidenceDetail onlyFieldsOf(ProposalCommand.RecordEvidence c) {
        EvidenceDetail d = c.detail() == null ? EvidenceDetail.none() : c.detail();
        return switch (c.kind()) {
            // strip, not trim: trim takes control characters off too, past what requireText judged.
            case PATCHES_POSTED -> new EvidenceDetail(d.list().strip(), null, null, null, null);
            case UPSTREAM_COMMITTED -> new EvidenceDetail(null, d.repository().strip(), null, null, null);
            case COMPAT_PROMISES -> new EvidenceDetail(null, null, d.backward().strip(), d.crossPlatform().strip(), null);
            case VERSION_BUMPED -> new EvidenceDetail(null, null, null, null, d.version());
            case DESIGN_COMMITTED -> EvidenceDetail.none();
        };
    }

    /** Paths in the order given, each once: the same file named twice ties no more mail to the proposal. */
    private static List<String> distinct(List<String> paths) {
        return List.copyOf(new LinkedHashSet<>(paths));
    }

    /** Text with something to read: not only spaces and control characters (which a reader cannot see either). */
    private static void requireText(String value, String field, String what) {
        if (value == null || value.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new ProposalRefusal(ProposalRefusal.Reason.INVALID, field, "must not be blank: it " + what);
        }
    }

    private static void requireExists(Proposal state) {
        if (!state.exists()) {
            throw new ProposalRefusal(ProposalRefusal.Reason.UNKNOWN, "no such proposal");
        }
    }

    private static void requireOpen(Proposal state) {
        if (state.stage().isTerminal()) {
            throw new ProposalRefusal(ProposalRefusal.Reason.CLOSED, "proposal " + state.id() + " is " + state.stage()
                    + ": it can only be read");
        }
    }

    private static void requireOwner(Proposal state, String actor) {
        if (!state.isOwnedBy(actor)) {
            throw new ProposalRefusal(ProposalRefusal.Reason.NOT_OWNER, "only the owner of " + state.id() + " (" + state.owner()
                    + ") may do this");
        }
    }

    private ProposalDecider() {
    }
}
