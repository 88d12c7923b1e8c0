package org.pvlifecycle.consensus.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.consensus.domain.ConsensusScenario.CzarDecides;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.ObjectionOverruled;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.TransitionDecided;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvlifecycle.consensus.domain.ConsensusScenario.P;
import static org.pvlifecycle.consensus.domain.ConsensusScenario.T0;

/** One example per rule of docs/rules.md. */
class ConsensusDeciderTest {
    static final Policy POLICY = Policy.defaults();
    static final Duration DAY = Duration.ofDays(1);

    static List<String> codes(Eligibility.Answer answer) {
        return answer.blockers().stream().map(b -> b.code()).toList();
    }

    static ConsensusScenario readyDesign() {
        return ConsensusScenario.submitted("linux-frontend").evidence(EvidenceKind.DESIGN_COMMITTED).reviewRequested(T0);
    }

    @Test
    void withoutAReviewRequestNothingMoves() {
        Eligibility.Answer answer = Eligibility.evaluate(ConsensusScenario.submitted("linux-frontend").state(), POLICY, T0);
        assertThat(codes(answer)).containsExactly("NO_REVIEW_REQUESTED", "EVIDENCE_MISSING");
        assertThat(answer.windowEndsAt()).isNull();
        assertThat(answer.nextDeadline()).isNull();
        assertThat(answer.policyVersion()).isEqualTo(1);
    }

    @Test
    void theWindowBlocksUntilItsEndAndARevisionExtendsIt() {
        ConsensusScenario g = readyDesign();
        Eligibility.Answer open = Eligibility.evaluate(g.state(), POLICY, T0.plus(DAY));
        assertThat(codes(open)).containsExactly("WINDOW_OPEN");
        assertThat(open.windowEndsAt()).isEqualTo(T0.plus(Duration.ofDays(14)));
        assertThat(open.nextDeadline()).isEqualTo(T0.plus(Duration.ofDays(14)));

        // A revision a day before the end moves it to revision + 3 days.
        Instant lateRevision = T0.plus(Duration.ofDays(13));
        g.event(new ProposalRevised(P, 2, "# spec", null, List.of(), List.of()), lateRevision);
        assertThat(Eligibility.evaluate(g.state(), POLICY, T0.plus(DAY)).windowEndsAt())
                .isEqualTo(lateRevision.plus(Duration.ofDays(3)));
        assertThat(Eligibility.evaluate(g.state(), POLICY, lateRevision.plus(Duration.ofDays(3))).eligible()).isTrue();
    }

    @Test
    void designNeedsTheThreeSectionsAndItsEvidence() {
        ConsensusScenario g = ConsensusScenario.submitted("linux-frontend").reviewRequested(T0)
                .event(new ProposalRevised(P, 2, "# x", null, List.of("ABI", "protocol operation"), List.of()), T0);
        Eligibility.Answer answer = Eligibility.evaluate(g.state(), POLICY, T0.plus(Duration.ofDays(20)));
        assertThat(codes(answer)).containsExactly("SECTION_MISSING", "SECTION_MISSING", "EVIDENCE_MISSING");
        assertThat(answer.blockers().get(0).section()).isEqualTo("ABI");
        assertThat(answer.blockers().get(2).evidenceKind()).isEqualTo(EvidenceKind.DESIGN_COMMITTED);
    }

    @Test
    void answerThenSilenceLapsesTheObjectionByTheClock() {
        Instant respondBy = T0.plus(Duration.ofDays(20));
        ConsensusScenario g = readyDesign().objection("o1", false, T0).answered("o1", respondBy);
        Eligibility.Answer before = Eligibility.evaluate(g.state(), POLICY, T0.plus(Duration.ofDays(15)));
        assertThat(codes(before)).containsExactly("OBJECTION_BLOCKING");
        assertThat(before.blockers().get(0).by()).isEqualTo("carol");
        assertThat(before.nextDeadline()).isEqualTo(respondBy);

        ConsensusDecider.Outcome lapse = ConsensusDecider.advance(g.state(), POLICY, respondBy);
        assertThat(lapse.events()).first().isEqualTo(new ObjectionLapsed(P, "o1", respondBy));
        assertThat(lapse.answer().eligible()).isTrue();
        // Fired once: advancing again changes nothing and says nothing.
        assertThat(ConsensusDecider.advance(lapse.state(), POLICY, respondBy.plusSeconds(1)).events()).isEmpty();
    }

    @Test
    void anAnsweredObjectionThatDoesNotBlockStillWakesTheClockAtItsDeadline() {
        Instant respondBy = T0.plus(Duration.ofDays(20));
        Instant now = T0.plus(Duration.ofDays(15));
        // Late (the window closed after 14 days), so it does not block: the answer names no deadline...
        ConsensusScenario late = readyDesign().objection("late", true, now).answered("late", respondBy);
        Eligibility.Answer answer = Eligibility.evaluate(late.state(), POLICY, now);
        assertThat(codes(answer)).isEmpty();
        assertThat(answer.nextDeadline()).isNull();
        // ...yet the deadline loop wakes at respondBy, and the lapse is announced then.
        assertThat(ConsensusDecider.wakeAt(late.state(), answer, now)).isEqualTo(respondBy);
        assertThat(ConsensusDecider.advance(late.state(), POLICY, respondBy).events())
                .contains(new ObjectionLapsed(P, "late", respondBy));

        // The same on a terminal proposal, whose answer has no deadline at all.
        ConsensusScenario withdrawn = readyDesign().objection("o1", false, T0).answered("o1", respondBy)
                .event(new ProposalWithdrawn(P, Stage.DESIGN, "superseded"), now);
        Eligibility.Answer terminal = Eligibility.evaluate(withdrawn.state(), POLICY, now);
        assertThat(terminal.nextDeadline()).isNull();
        assertThat(ConsensusDecider.wakeAt(withdrawn.state(), terminal, now)).isEqualTo(respondBy);
        assertThat(ConsensusDecider.advance(withdrawn.state(), POLICY, respondBy).events())
                .contains(new ObjectionLapsed(P, "o1", respondBy));

        // A sooner deadline of the answer comes first; a passed respondBy wakes nothing more.
        ConsensusScenario open = readyDesign().objection("late", true, T0.plus(Duration.ofDays(15)))
                .answered("late", respondBy);
        Eligibility.Answer windowOpen = Eligibility.evaluate(open.state(), POLICY, T0.plus(DAY));
        assertThat(ConsensusDecider.wakeAt(open.state(), windowOpen, T0.plus(DAY))).isEqualTo(T0.plus(Duration.ofDays(14)));
        assertThat(ConsensusDecider.wakeAt(late.state(), Eligibility.evaluate(late.state(), POLICY, respondBy), respondBy))
                .isNull();
    }

    @Test
    void aReaffirmationWrittenAfterTheDeadlineDoesNotSaveTheObjectionFromItsLapse() {
        Instant respondBy = T0.plus(Duration.ofDays(20));
        // The reaffirmation reaches consensus before its loop has fired the deadline.
        ConsensusScenario late = readyDesign().objection("o1", false, T0).answered("o1", respondBy)
                .event(new ObjectionReaffirmed(P, "o1", "still wrong"), respondBy.plusSeconds(1), "carol");
        ConsensusDecider.Outcome fired = ConsensusDecider.advance(late.state(), POLICY, respondBy.plusSeconds(2));
        assertThat(fired.events()).first().isEqualTo(new ObjectionLapsed(P, "o1", respondBy));
        assertThat(fired.state().objections()).isEmpty();

        // In time, it is a reaffirmation: the objection blocks again, with no deadline.
        ConsensusScenario inTime = readyDesign().objection("o1", false, T0).answered("o1", respondBy)
                .event(new ObjectionReaffirmed(P, "o1", "still wrong"), respondBy.minusSeconds(1), "carol");
        Eligibility.Answer answer = ConsensusDecider.advance(inTime.state(), POLICY, respondBy.plusSeconds(2)).answer();
        assertThat(codes(answer)).containsExactly("OBJECTION_BLOCKING");
    }

    @Test
    void anEndedObjectionLeavesTheStateAndNothingLaterMovesIt() {
        Instant respondBy = T0.plus(Duration.ofDays(20));
        ConsensusScenario g = readyDesign().objection("withdrawn", false, T0).objection("overruled", false, T0)
                .objection("lapsing", false, T0).answered("lapsing", respondBy).objection("open", false, T0)
                .event(new ObjectionWithdrawn(P, "withdrawn", "fair point"), T0.plusSeconds(60))
                .event(new ObjectionOverruled(P, "overruled", "not a technical objection"), T0.plusSeconds(60));
        ConsensusDecider.Outcome lapse = ConsensusDecider.advance(g.state(), POLICY, respondBy);
        assertThat(lapse.events()).contains(new ObjectionLapsed(P, "lapsing", respondBy));
        assertThat(lapse.state().objections()).containsOnlyKeys("open");

        // What the review service decided before it learnt of the end (a reaffirmation raced with
        // the lapse) moves nothing: the one open objection is still the only blocker.
        ProposalState later = ConsensusDecider.apply(lapse.state(), P,
                new ObjectionReaffirmed(P, "lapsing", "still wrong"), respondBy.plusSeconds(1));
        later = ConsensusDecider.apply(later, P, new ObjectionReaffirmed(P, "withdrawn", "still wrong"),
                respondBy.plusSeconds(1));
        assertThat(later).isEqualTo(lapse.state());
        Eligibility.Answer answer = Eligibility.evaluate(later, POLICY, respondBy.plusSeconds(2));
        assertThat(codes(answer)).containsExactly("OBJECTION_BLOCKING");
        assertThat(answer.blockers().get(0).objectionId()).isEqualTo("open");
    }

    @Test
    void aStateSavedWithEndedObjectionsShedsThemAtItsNextObjectionEvent() {
        ProposalState saved = savedWith("old", ProposalState.ObjectionStatus.WITHDRAWN);
        ProposalState next = ConsensusDecider.apply(saved, P, new ObjectionRaised(P, "new", Stage.DESIGN,
                ObjectionCategory.ABI, "ABI", "a rationale that is long enough to count", false), T0.plusSeconds(60));
        assertThat(next.objections()).containsOnlyKeys("new");
    }

    @Test
    void aLapseSavedBeforeEndedObjectionsLeftTheStateStaysFinal() {
        ProposalState saved = savedWith("old", ProposalState.ObjectionStatus.LAPSED);
        ProposalState later = ConsensusDecider.apply(saved, P, new ObjectionReaffirmed(P, "old", "still wrong"),
                T0.plus(Duration.ofDays(30)));
        assertThat(later).isEqualTo(saved);
        assertThat(Eligibility.evaluate(later, POLICY, T0.plus(Duration.ofDays(30))).eligible()).isTrue();
    }

    /** A ready design as a state saved before ended objections left it: one objection, ended as {@code status}. */
    private static ProposalState savedWith(String objectionId, ProposalState.ObjectionStatus status) {
        ProposalState s = readyDesign().objection(objectionId, false, T0).state();
        ProposalState.Objection o = s.objections().get(objectionId);
        return new ProposalState(s.proposalId(), s.owner(), s.stage(), s.components(), s.missingSections(),
                s.evidence(), s.reviewRequestedAt(), s.revisionsSinceRequest(),
                Map.of(objectionId, new ProposalState.Objection(objectionId, o.author(), o.stage(), o.late(), status,
                        null)),
                s.acks(), s.announced(), s.eligibleSince(), s.overdueNotified(), s.pendingTransitionTo());
    }

    @Test
    void answerThenReaffirmStaysBlocking() {
        ConsensusScenario g = readyDesign().objection("o1", false, T0).answered("o1", T0.plus(DAY))
                .event(new ObjectionReaffirmed(P, "o1", "still wrong"), T0.plusSeconds(60));
        ConsensusDecider.Outcome outcome = ConsensusDecider.advance(g.state(), POLICY, T0.plus(Duration.ofDays(30)));
        assertThat(outcome.events()).noneMatch(e -> e instanceof ObjectionLapsed);
        assertThat(codes(outcome.answer())).containsExactly("OBJECTION_BLOCKING");
    }

    @Test
    void lateObjectionsBlockOnlyWhenThePolicySays() {
        ConsensusScenario g = readyDesign().objection("late", true, T0.plus(Duration.ofDays(15)));
        Instant after = T0.plus(Duration.ofDays(16));
        assertThat(Eligibility.evaluate(g.state(), POLICY, after).eligible()).isTrue();
        Policy strict = new Policy(2, POLICY.reviewWindows(), POLICY.reReviewPeriod(), POLICY.responseWindow(),
                POLICY.czarDecisionWindow(), true, false, POLICY.maintainers());
        assertThat(codes(Eligibility.evaluate(g.state(), strict, after))).containsExactly("OBJECTION_BLOCKING");
    }

    @Test
    void prototypeNeedsAMaintainerAckPerComponentGivenInPrototype() {
        ConsensusScenario g = readyDesign().ack("a0", "alice", AckKind.ACKED_BY, "linux-frontend").advancedTo(Stage.PROTOTYPE)
                .reviewRequested(T0).evidence(EvidenceKind.PATCHES_POSTED).evidence(EvidenceKind.UPSTREAM_COMMITTED);
        Instant after = T0.plus(Duration.ofDays(15));
        // The DESIGN-stage ack does not count for PROTOTYPE, nor does a non-maintainer's.
        g.ack("a1", "mallory", AckKind.ACKED_BY, "linux-frontend");
        assertThat(codes(Eligibility.evaluate(g.state(), POLICY, after))).containsExactly("ACK_MISSING");
        assertThat(Eligibility.evaluate(g.state(), POLICY, after).blockers().get(0).component()).isEqualTo("linux-frontend");
        g.ack("a2", "alice", AckKind.REVIEWED_BY, "linux-frontend");
        assertThat(Eligibility.evaluate(g.state(), POLICY, after).eligible()).isTrue();
        g.event(new org.pvlifecycle.events.AckRetracted(P, "a2"), T0);
        assertThat(Eligibility.evaluate(g.state(), POLICY, after).eligible()).isFalse();
    }

    @Test
    void eligibilityIsAnnouncedOnlyWhenItChanges() {
        ConsensusScenario g = readyDesign();
        ConsensusDecider.Outcome first = ConsensusDecider.advance(g.state(), POLICY, T0.plus(DAY));
        assertThat(first.events()).hasSize(1).first().isInstanceOf(EligibilityChanged.class);
        assertThat(ConsensusDecider.advance(first.state(), POLICY, T0.plus(Duration.ofDays(2))).events()).isEmpty();
        ConsensusDecider.Outcome closed = ConsensusDecider.advance(first.state(), POLICY, T0.plus(Duration.ofDays(14)));
        assertThat(closed.events()).hasSize(1);
        assertThat(((EligibilityChanged) closed.events().get(0)).eligible()).isTrue();
    }

    @Test
    void anUndecidedEligibleProposalIsOverdueOnceAndAutoAdvancedWhenThePolicySays() {
        Instant windowEnd = T0.plus(Duration.ofDays(14));
        ConsensusDecider.Outcome eligible = ConsensusDecider.advance(readyDesign().state(), POLICY, windowEnd);
        assertThat(eligible.answer().nextDeadline()).isEqualTo(windowEnd.plus(Duration.ofDays(7)));

        Instant overdueAt = windowEnd.plus(Duration.ofDays(7));
        ConsensusDecider.Outcome overdue = ConsensusDecider.advance(eligible.state(), POLICY, overdueAt);
        assertThat(overdue.events()).containsExactly(new DecisionOverdue(P, Stage.DESIGN, windowEnd, overdueAt));
        assertThat(ConsensusDecider.advance(overdue.state(), POLICY, overdueAt.plus(DAY)).events()).isEmpty();

        Policy auto = new Policy(2, POLICY.reviewWindows(), POLICY.reReviewPeriod(), POLICY.responseWindow(),
                POLICY.czarDecisionWindow(), false, true, POLICY.maintainers());
        List<LifecycleEvent> advanced = ConsensusDecider.advance(overdue.state(), auto, overdueAt.plus(DAY)).events();
        assertThat(advanced).hasSize(1);
        TransitionDecided decided = (TransitionDecided) advanced.get(0);
        assertThat(decided.decision()).isEqualTo(DecisionKind.AUTO_LAZY_CONSENSUS);
        assertThat(decided.to()).isEqualTo(Stage.PROTOTYPE);
    }

    @Test
    void theCzarAdvancesAnEligibleProposalOrOverridesWithARationale() {
        ConsensusScenario g = readyDesign().objection("o1", false, T0);
        Instant after = T0.plus(Duration.ofDays(15));
        g.when(new CzarDecides(POLICY, after, Stage.PROTOTYPE, "czar", false, null))
                .thenRefused(TransitionRefusal.class, r -> {
                    assertThat(r.reason()).isEqualTo(TransitionRefusal.Reason.NOT_ELIGIBLE);
                    assertThat(r.blockers()).extracting(b -> b.objectionId()).containsExactly("o1");
                });
        g.when(new CzarDecides(POLICY, after, Stage.PROTOTYPE, "czar", true, " "))
                .thenRefused(TransitionRefusal.class,
                        r -> assertThat(r.reason()).isEqualTo(TransitionRefusal.Reason.RATIONALE_REQUIRED));
        g.when(new CzarDecides(POLICY, after, Stage.STABLE, "czar", true, "r"))
                .thenRefused(TransitionRefusal.class,
                        r -> assertThat(r.reason()).isEqualTo(TransitionRefusal.Reason.NOT_NEXT_STAGE));

        // The decision awaiting the proposal service is the engine's bookkeeping, in no event: the
        // refusal of a second one is checked on the outcome's state.
        ConsensusDecider.Outcome decided = ConsensusDecider.decide(g.state(), POLICY, after, Stage.PROTOTYPE, "czar", true,
                "The objection is about the prototype, not the design");
        TransitionDecided event = (TransitionDecided) decided.events().get(0);
        assertThat(event.override()).isTrue();
        assertThat(event.overriddenBlockers()).hasSize(1);
        assertThatThrownBy(() -> ConsensusDecider.decide(decided.state(), POLICY, after, Stage.PROTOTYPE, "czar", true, "r"))
                .isInstanceOfSatisfying(TransitionRefusal.class,
                        r -> assertThat(r.reason()).isEqualTo(TransitionRefusal.Reason.ALREADY_DECIDED));

        // An objection still blocking when the Czar overrides keeps blocking in the next stage.
        g.advancedTo(Stage.PROTOTYPE).reviewRequested(T0);
        assertThat(codes(Eligibility.evaluate(g.state(), POLICY, after.plus(Duration.ofDays(30)))))
                .contains("OBJECTION_BLOCKING");
    }
}
