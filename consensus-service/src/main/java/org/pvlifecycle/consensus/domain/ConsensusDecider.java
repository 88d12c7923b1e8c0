package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckRetracted;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.ObjectionOverruled;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.events.TransitionDecided;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static org.pvlifecycle.consensus.domain.ProposalState.ObjectionStatus.ANSWERED;
import static org.pvlifecycle.consensus.domain.ProposalState.ObjectionStatus.LAPSED;
import static org.pvlifecycle.consensus.domain.ProposalState.ObjectionStatus.OVERRULED;
import static org.pvlifecycle.consensus.domain.ProposalState.ObjectionStatus.WITHDRAWN;

/**
 * Lazy consensus as pure functions: {@link #apply} folds what the proposal and review services
 * announced, {@link #advance} brings a proposal up to a moment (lapses, eligibility announcements,
 * the overdue notice, auto-advance), {@link #decide} is the Czar's transition. No clock, no I/O:
 * the caller says what time it is.
 */
public final class ConsensusDecider {
    public static final String LAZY_CONSENSUS = "lazy-consensus";

    /** The new state, what to announce, and the eligibility answer at that moment. */
    public record Outcome(ProposalState state, List<LifecycleEvent> events, Eligibility.Answer answer) {
    }

    /** Folds one event of the proposal or review service; {@code state} is null for a proposal not seen yet. */
    public static ProposalState apply(ProposalState state, String proposalId, LifecycleEvent event, Instant at) {
        ProposalState s = state != null ? state : placeholder(proposalId);
        if (event instanceof ProposalSubmitted e) {
            return with(s, e.owner(), Stage.DESIGN, List.copyOf(e.components()), e.missingSections(), s.evidence(),
                    s.reviewRequestedAt(), s.revisionsSinceRequest(), s.objections(), s.acks(), s.eligibleSince(),
                    s.overdueNotified(), s.pendingTransitionTo());
        }
        if (event instanceof ProposalRevised e) {
            List<Instant> revisions = new ArrayList<>(s.revisionsSinceRequest());
            if (s.reviewRequestedAt() != null && !at.isBefore(s.reviewRequestedAt())) {
                revisions.add(at);
            }
            return with(s, s.owner(), s.stage(), s.components(), e.missingSections(), s.evidence(),
                    s.reviewRequestedAt(), List.copyOf(revisions), s.objections(), s.acks(), s.eligibleSince(),
                    s.overdueNotified(), s.pendingTransitionTo());
        }
        if (event instanceof EvidenceRecorded e) {
            Set<EvidenceKind> evidence = EnumSet.noneOf(EvidenceKind.class);
            evidence.addAll(s.evidence());
            evidence.add(e.kind());
            return with(s, s.owner(), s.stage(), s.components(), s.missingSections(), Set.copyOf(evidence),
                    s.reviewRequestedAt(), s.revisionsSinceRequest(), s.objections(), s.acks(), s.eligibleSince(),
                    s.overdueNotified(), s.pendingTransitionTo());
        }
        if (event instanceof ReviewRequested e) {
            if (e.stage() != s.stage()) {
                return s;
            }
            return with(s, s.owner(), s.stage(), s.components(), s.missingSections(), s.evidence(), at, List.of(),
                    s.objections(), s.acks(), s.eligibleSince(), s.overdueNotified(), s.pendingTransitionTo());
        }
        if (event instanceof StageAdvanced e) {
            return with(s, s.owner(), e.to(), s.components(), s.missingSections(), s.evidence(), null, List.of(),
                    s.objections(), s.acks(), null, false, null);
        }
        if (event instanceof ProposalWithdrawn) {
            return with(s, s.owner(), Stage.WITHDRAWN, s.components(), s.missingSections(), s.evidence(), null,
                    List.of(), s.objections(), s.acks(), null, false, null);
        }
        if (event instanceof ObjectionRaised e) {
            return withObjection(s, new ProposalState.Objection(e.objectionId(), null, e.stage(), e.late(),
                    ProposalState.ObjectionStatus.OPEN, null));
        }
        if (event instanceof ObjectionAnswered e) {
            return step(s, e.objectionId(), ANSWERED, e.respondBy());
        }
        if (event instanceof ObjectionReaffirmed e) {
            ProposalState.Objection o = s.objections().get(e.objectionId());
            if (o != null && o.status() == ANSWERED && o.respondBy() != null && !at.isBefore(o.respondBy())) {
                // Written after the author's deadline, though taken in before the deadline loop
                // fired it (it ticks, or this service was catching up): the silence had lapsed the
                // objection already, and advance() announces that; a late reply brings it back to none.
                return s;
            }
            return step(s, e.objectionId(), ProposalState.ObjectionStatus.REAFFIRMED, null);
        }
        if (event instanceof ObjectionWithdrawn e) {
            return step(s, e.objectionId(), ProposalState.ObjectionStatus.WITHDRAWN, null);
        }
        if (event instanceof ObjectionOverruled e) {
            return step(s, e.objectionId(), ProposalState.ObjectionStatus.OVERRULED, null);
        }
        if (event instanceof AckGiven e) {
            Map<String, ProposalState.Ack> acks = new LinkedHashMap<>(s.acks());
            acks.put(e.ackId(), new ProposalState.Ack(e.ackId(), null, e.kind(), e.component(), e.stage()));
            return withAcks(s, acks);
        }
        if (event instanceof AckRetracted e) {
            Map<String, ProposalState.Ack> acks = new LinkedHashMap<>(s.acks());
            acks.remove(e.ackId());
            return withAcks(s, acks);
        }
        return s;
    }

    /** The author of a raised objection or given ack comes from the event's envelope (its actor). */
    public static ProposalState withAuthor(ProposalState s, LifecycleEvent event, String actor) {
        if (event instanceof ObjectionRaised e && s.objections().containsKey(e.objectionId())) {
            ProposalState.Objection o = s.objections().get(e.objectionId());
            return withObjection(s, new ProposalState.Objection(o.objectionId(), actor, o.stage(), o.late(), o.status(),
                    o.respondBy()));
        }
        if (event instanceof AckGiven e && s.acks().containsKey(e.ackId())) {
            ProposalState.Ack a = s.acks().get(e.ackId());
            Map<String, ProposalState.Ack> acks = new LinkedHashMap<>(s.acks());
            acks.put(a.ackId(), new ProposalState.Ack(a.ackId(), actor, a.kind(), a.component(), a.stage()));
            return withAcks(s, acks);
        }
        return s;
    }

    /**
     * Brings the proposal to {@code now}: objections whose author stayed silent lapse, a changed
     * eligibility is announced, the overdue notice goes out once per eligible spell, and with
     * {@code autoAdvance} lazy consensus decides the transition itself.
     */
    public static Outcome advance(ProposalState state, Policy policy, Instant now) {
        if (state.owner() == null) {
            return new Outcome(state, List.of(), null);
        }
        List<LifecycleEvent> events = new ArrayList<>();
        ProposalState s = state;
        for (ProposalState.Objection o : state.objections().values()) {
            if (o.status() == ANSWERED && o.respondBy() != null && !now.isBefore(o.respondBy())) {
                events.add(new ObjectionLapsed(s.proposalId(), o.objectionId(), o.respondBy()));
                s = step(s, o.objectionId(), LAPSED, o.respondBy());
            }
        }
        Eligibility.Answer answer = Eligibility.evaluate(s, policy, now);
        if (answer.eligible() && s.eligibleSince() == null) {
            s = withEligibility(s, now, false);
            answer = Eligibility.evaluate(s, policy, now);
        } else if (!answer.eligible() && s.eligibleSince() != null) {
            s = withEligibility(s, null, false);
        }
        ProposalState.Announced announced = new ProposalState.Announced(answer.eligible(), answer.blockers(),
                answer.windowEndsAt());
        if (changed(s.announced(), announced)) {
            events.add(new EligibilityChanged(s.proposalId(), answer.stage(), answer.eligible(), answer.blockers(),
                    answer.windowEndsAt(), answer.nextDeadline(), answer.decisionOverdueSince(), answer.policyVersion()));
            s = withAnnounced(s, announced);
        }
        if (answer.decisionOverdueSince() != null) {
            if (!s.overdueNotified()) {
                events.add(new DecisionOverdue(s.proposalId(), s.stage(), s.eligibleSince(), answer.decisionOverdueSince()));
                s = withEligibility(s, s.eligibleSince(), true);
            }
            Optional<Stage> next = s.stage().next();
            if (policy.autoAdvance() && s.pendingTransitionTo() == null && next.isPresent()) {
                events.add(new TransitionDecided(s.proposalId(), s.stage(), next.get(), DecisionKind.AUTO_LAZY_CONSENSUS,
                        LAZY_CONSENSUS, false, "Eligible without a decision for " + policy.czarDecisionWindow()
                        + ": lazy consensus advances it", List.of()));
                s = withPending(s, next.get());
            }
        }
        return new Outcome(s, List.copyOf(events), answer);
    }

    /**
     * When the deadline loop must next bring the proposal to its time ({@link #advance}): the
     * answer's {@code nextDeadline}, or an answered objection's {@code respondBy} if sooner. An
     * answered objection lapses at its deadline whether or not it blocks (a late one, or one on a
     * terminal proposal), while {@code nextDeadline} names only what changes the eligibility
     * answer; null when the clock alone changes nothing.
     */
    public static Instant wakeAt(ProposalState state, Eligibility.Answer answer, Instant now) {
        Instant wake = answer == null ? null : answer.nextDeadline();
        for (ProposalState.Objection o : state.objections().values()) {
            if (o.status() == ANSWERED && o.respondBy() != null && now.isBefore(o.respondBy())
                    && (wake == null || o.respondBy().isBefore(wake))) {
                wake = o.respondBy();
            }
        }
        return wake;
    }

    /** The Czar decides {@code to}; not eligible needs {@code override} and a rationale. */
    public static Outcome decide(ProposalState state, Policy policy, Instant now, Stage to, String czar,
            boolean override, String rationale) {
        if (state == null || state.owner() == null) {
            throw new TransitionRefusal(TransitionRefusal.Reason.UNKNOWN, "no such proposal");
        }
        if (state.stage().isTerminal()) {
            throw new TransitionRefusal(TransitionRefusal.Reason.CLOSED, "the proposal is " + state.stage());
        }
        if (state.pendingTransitionTo() != null) {
            throw new TransitionRefusal(TransitionRefusal.Reason.ALREADY_DECIDED, "the transition to "
                    + state.pendingTransitionTo() + " is decided and awaits the proposal service");
        }
        Stage next = state.stage().next().orElseThrow();
        if (to != next) {
            throw new TransitionRefusal(TransitionRefusal.Reason.NOT_NEXT_STAGE, "from " + state.stage()
                    + " the only transition is to " + next);
        }
        Eligibility.Answer answer = Eligibility.evaluate(state, policy, now);
        if (!answer.eligible() && !override) {
            throw new TransitionRefusal(TransitionRefusal.Reason.NOT_ELIGIBLE, "the proposal is not eligible for "
                    + to + ": " + answer.blockers().size() + " blocker(s)", answer.blockers());
        }
        if (override && (rationale == null || rationale.isBlank())) {
            throw new TransitionRefusal(TransitionRefusal.Reason.RATIONALE_REQUIRED,
                    "an override needs a rationale");
        }
        TransitionDecided decided = new TransitionDecided(state.proposalId(), state.stage(), to, DecisionKind.CZAR, czar,
                override, rationale, override ? answer.blockers() : List.of());
        return new Outcome(withPending(state, to), List.of(decided), answer);
    }

    static boolean changed(ProposalState.Announced before, ProposalState.Announced now) {
        return before == null || before.eligible() != now.eligible()
                || !Objects.equals(before.windowEndsAt(), now.windowEndsAt())
                || !Eligibility.identities(before.blockers()).equals(Eligibility.identities(now.blockers()));
    }

    private static ProposalState placeholder(String proposalId) {
        return new ProposalState(proposalId, null, Stage.DESIGN, List.of(), List.of(), Set.of(), null, List.of(),
                Map.of(), Map.of(), null, null, false, null);
    }

    private static ProposalState step(ProposalState s, String objectionId, ProposalState.ObjectionStatus status,
            Instant respondBy) {
        ProposalState.Objection o = s.objections().get(objectionId);
        if (o == null || ended(o.status())) {
            // Unknown, or ended (gone from the state, or still in one saved before ended
            // objections left it): a lapse is final here (the review service learns it from our
            // event, and what it decided before it did changes nothing).
            return s;
        }
        if (ended(status)) {
            return withoutObjection(s, objectionId);
        }
        return withObjection(s, new ProposalState.Objection(o.objectionId(), o.author(), o.stage(), o.late(), status,
                respondBy));
    }

    /**
     * An objection that ended (withdrawn, overruled or lapsed) blocks nothing and no later event
     * moves it again (docs/rules.md), so it leaves the state: what each event copies, and what each
     * batch reads and writes as the proposal's row, stays the size of its live objections rather
     * than growing with every objection it ever had.
     */
    private static ProposalState withoutObjection(ProposalState s, String objectionId) {
        Map<String, ProposalState.Objection> objections = liveObjections(s);
        objections.remove(objectionId);
        return new ProposalState(s.proposalId(), s.owner(), s.stage(), s.components(), s.missingSections(), s.evidence(),
                s.reviewRequestedAt(), s.revisionsSinceRequest(), readOnly(objections), s.acks(), s.announced(),
                s.eligibleSince(), s.overdueNotified(), s.pendingTransitionTo());
    }

    private static ProposalState withObjection(ProposalState s, ProposalState.Objection o) {
        Map<String, ProposalState.Objection> objections = liveObjections(s);
        objections.put(o.objectionId(), o);
        return new ProposalState(s.proposalId(), s.owner(), s.stage(), s.components(), s.missingSections(), s.evidence(),
                s.reviewRequestedAt(), s.revisionsSinceRequest(), readOnly(objections), s.acks(), s.announced(),
                s.eligibleSince(), s.overdueNotified(), s.pendingTransitionTo());
    }

    /**
     * A fresh copy of the state's objections without the ended ones, which a state saved before
     * they were dropped may still hold.
     */
    private static Map<String, ProposalState.Objection> liveObjections(ProposalState s) {
        Map<String, ProposalState.Objection> live = new LinkedHashMap<>(s.objections());
        live.values().removeIf(o -> ended(o.status()));
        return live;
    }

    private static boolean ended(ProposalState.ObjectionStatus status) {
        return status == WITHDRAWN || status == OVERRULED || status == LAPSED;
    }

    /**
     * {@code fresh}, a copy made for this state alone, as the state's read-only map. Not
     * {@code Map.copyOf}: a second copy, into a hash table built by probing, per objection or ack
     * event was the consensus consumer's largest cost on a proposal with many of them (a quarter
     * of its CPU samples with a thousand objections a proposal).
     */
    private static <V> Map<String, V> readOnly(Map<String, V> fresh) {
        return Collections.unmodifiableMap(fresh);
    }

    private static ProposalState withAcks(ProposalState s, Map<String, ProposalState.Ack> acks) {
        return new ProposalState(s.proposalId(), s.owner(), s.stage(), s.components(), s.missingSections(), s.evidence(),
                s.reviewRequestedAt(), s.revisionsSinceRequest(), s.objections(), readOnly(acks), s.announced(),
                s.eligibleSince(), s.overdueNotified(), s.pendingTransitionTo());
    }

    private static ProposalState withEligibility(ProposalState s, Instant since, boolean overdueNotified) {
        return new ProposalState(s.proposalId(), s.owner(), s.stage(), s.components(), s.missingSections(), s.evidence(),
                s.reviewRequestedAt(), s.revisionsSinceRequest(), s.objections(), s.acks(), s.announced(), since,
                overdueNotified, s.pendingTransitionTo());
    }

    private static ProposalState withAnnounced(ProposalState s, ProposalState.Announced announced) {
        return new ProposalState(s.proposalId(), s.owner(), s.stage(), s.components(), s.missingSections(), s.evidence(),
                s.reviewRequestedAt(), s.revisionsSinceRequest(), s.objections(), s.acks(), announced, s.eligibleSince(),
                s.overdueNotified(), s.pendingTransitionTo());
    }

    private static ProposalState withPending(ProposalState s, Stage to) {
        return new ProposalState(s.proposalId(), s.owner(), s.stage(), s.components(), s.missingSections(), s.evidence(),
                s.reviewRequestedAt(), s.revisionsSinceRequest(), s.objections(), s.acks(), s.announced(),
                s.eligibleSince(), s.overdueNotified(), to);
    }

    private static ProposalState with(ProposalState s, String owner, Stage stage, List<String> components,
            List<String> missingSections, Set<EvidenceKind> evidence, Instant reviewRequestedAt,
            List<Instant> revisions, Map<String, ProposalState.Objection> objections,
            Map<String, ProposalState.Ack> acks, Instant eligibleSince, boolean overdueNotified, Stage pending) {
        return new ProposalState(s.proposalId(), owner, stage, components, missingSections, evidence, reviewRequestedAt,
                revisions, objections, acks, s.announced(), eligibleSince, overdueNotified, pending);
    }

    private ConsensusDecider() {
    }
}
