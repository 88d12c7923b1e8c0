package org.pvlifecycle.proposal.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.EvidenceDetail;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** given(past events) → when(command) → then(new events | refusal). */
class ProposalDeciderTest {
    static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
    static final String ID = "pvcalls-v2";

    static Proposal given(LifecycleEvent... events) {
        Proposal state = Proposal.NONE;
        long version = 0;
        for (LifecycleEvent e : events) {
            version++;
            state = ProposalEvolution.apply(state, new EventEnvelope<>(UUID.randomUUID(), "/proposal-service",
                    EventType.of(e), ID, T0.plusSeconds(version), version, "alice", e));
        }
        return state;
    }

    static ProposalSubmitted submitted() {
        return new ProposalSubmitted(ID, "PV Calls v2", "sockets", "alice", List.of("linux-frontend"), 1,
                SpecAnalysisTest.COMPLETE, List.of(), List.of());
    }

    static StageAdvanced advanced(Stage from, Stage to) {
        return new StageAdvanced(ID, from, to, "d-1", DecisionKind.CZAR, "czar", false, "fine");
    }

    @Test
    void submittingAnalysesTheSpecAndStartsInDesignAtRevisionOne() {
        List<LifecycleEvent> events = ProposalDecider.decide(new ProposalCommand.Submit("alice", ID, "T", "S",
                List.of("linux-frontend"), "# ABI\n"), Proposal.NONE);

        ProposalSubmitted e = (ProposalSubmitted) events.get(0);
        assertThat(e.owner()).isEqualTo("alice");
        assertThat(e.revision()).isEqualTo(1);
        assertThat(e.missingSections()).containsExactly(SpecAnalysis.XENSTORE_HANDSHAKE, SpecAnalysis.PROTOCOL_OPERATION);
        assertThat(given(e).stage()).isEqualTo(Stage.DESIGN);
    }

    @Test
    void aSecondSubmissionOfTheSameIdIsRefused() {
        assertThatThrownBy(() -> ProposalDecider.decide(new ProposalCommand.Submit("bob", ID, "T", "S",
                List.of("x1"), "s"), given(submitted())))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.reason()).isEqualTo(Refusal.Reason.ALREADY_EXISTS));
    }

    @Test
    void revisionsNumberOnAndCarryTheirAnalysis() {
        Proposal state = given(submitted(), new ProposalRevised(ID, 2, "x", null, List.of(), List.of()));
        ProposalRevised next = (ProposalRevised) ProposalDecider.decide(
                new ProposalCommand.Revise("alice", "```\nstruct a { int b; };\n```", "n"), state).get(0);
        assertThat(next.revision()).isEqualTo(3);
        assertThat(next.warnings()).containsExactly(SpecAnalysis.C_STRUCTS_DISCOURAGED);
        assertThat(next.missingSections()).hasSize(3);
    }

    @Test
    void onlyTheOwnerRevisesRecordsEvidenceAndRequestsReview() {
        Proposal state = given(submitted());
        for (ProposalCommand command : List.<ProposalCommand>of(
                new ProposalCommand.Revise("bob", "s", null),
                new ProposalCommand.RecordEvidence("bob", "e", EvidenceKind.DESIGN_COMMITTED, "abc123", null),
                new ProposalCommand.RequestReview("bob", T0, null))) {
            assertThatThrownBy(() -> ProposalDecider.decide(command, state))
                    .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.reason()).isEqualTo(Refusal.Reason.NOT_OWNER));
        }
    }

    @Test
    void theOwnerOrTheCzarWithdrawsAndThenOnlyReadsWork() {
        Proposal state = given(submitted());
        assertThatThrownBy(() -> ProposalDecider.decide(new ProposalCommand.Withdraw("bob", false, "r"), state))
                .isInstanceOf(Refusal.class);
        assertThat(ProposalDecider.decide(new ProposalCommand.Withdraw("czar", true, "r"), state).get(0))
                .isEqualTo(new ProposalWithdrawn(ID, Stage.DESIGN, "r"));

        Proposal withdrawn = given(submitted(), new ProposalWithdrawn(ID, Stage.DESIGN, "r"));
        assertThat(withdrawn.stage()).isEqualTo(Stage.WITHDRAWN);
        for (ProposalCommand command : List.<ProposalCommand>of(
                new ProposalCommand.Revise("alice", "s", null),
                new ProposalCommand.RequestReview("alice", T0, null),
                new ProposalCommand.Withdraw("alice", false, "again"))) {
            assertThatThrownBy(() -> ProposalDecider.decide(command, withdrawn))
                    .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.reason()).isEqualTo(Refusal.Reason.CLOSED));
        }
    }

    @Test
    void evidenceDetailIsCheckedPerKindAndKeepsOnlyItsKindsFields() {
        Proposal state = given(submitted());
        assertThatThrownBy(() -> ProposalDecider.decide(new ProposalCommand.RecordEvidence("alice", "e",
                EvidenceKind.COMPAT_PROMISES, "doc", new EvidenceDetail(null, null, "yes", " ", null)), state))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.field()).isEqualTo("detail.crossPlatform"));
        assertThatThrownBy(() -> ProposalDecider.decide(new ProposalCommand.RecordEvidence("alice", "e",
                EvidenceKind.VERSION_BUMPED, "doc", new EvidenceDetail(null, null, null, null, 0)), state))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.field()).isEqualTo("detail.version"));
        assertThatThrownBy(() -> ProposalDecider.decide(new ProposalCommand.RecordEvidence("alice", "e",
                EvidenceKind.PATCHES_POSTED, "msg-id", null), state))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.field()).isEqualTo("detail.list"));

        EvidenceRecorded recorded = (EvidenceRecorded) ProposalDecider.decide(new ProposalCommand.RecordEvidence(
                "alice", "e", EvidenceKind.UPSTREAM_COMMITTED, "deadbeef",
                new EvidenceDetail("stray", " xen.git ", null, null, 7)), state).get(0);
        assertThat(recorded.detail()).isEqualTo(new EvidenceDetail(null, "xen.git", null, null, null));
        assertThat(recorded.stage()).isEqualTo(Stage.DESIGN);
    }

    @Test
    void aReviewRequestInsideAnOpenWindowIsRefusedAndAfterItClosedOpensAFreshOne() {
        Proposal requested = given(submitted(), new ReviewRequested(ID, Stage.DESIGN, 1));
        Instant requestedAt = requested.reviewRequestedAt();
        Instant windowEnd = requestedAt.plusSeconds(3600);

        // Not yet announced, or announced and still open: refused.
        assertThatThrownBy(() -> ProposalDecider.decide(new ProposalCommand.RequestReview("alice", requestedAt, null), requested))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.reason()).isEqualTo(Refusal.Reason.WINDOW_OPEN));
        assertThatThrownBy(() -> ProposalDecider.decide(
                new ProposalCommand.RequestReview("alice", windowEnd.minusSeconds(1), windowEnd), requested))
                .isInstanceOf(Refusal.class);
        // An end announced for an older window says nothing of this one.
        assertThatThrownBy(() -> ProposalDecider.decide(
                new ProposalCommand.RequestReview("alice", windowEnd, requestedAt.minusSeconds(1)), requested))
                .isInstanceOf(Refusal.class);
        // Closed: a new request opens a fresh window.
        assertThat(ProposalDecider.decide(new ProposalCommand.RequestReview("alice", windowEnd, windowEnd), requested))
                .containsExactly(new ReviewRequested(ID, Stage.DESIGN, 1));
        // Each stage needs its own request.
        Proposal nextStage = given(submitted(), new ReviewRequested(ID, Stage.DESIGN, 1),
                advanced(Stage.DESIGN, Stage.PROTOTYPE));
        assertThat(ProposalDecider.decide(new ProposalCommand.RequestReview("alice", T0, null), nextStage))
                .containsExactly(new ReviewRequested(ID, Stage.PROTOTYPE, 1));
    }

    @Test
    void aTransitionAppliesOnlyFromItsFromStage() {
        ProposalCommand.ApplyTransition toPrototype = new ProposalCommand.ApplyTransition("czar", "d-1",
                Stage.DESIGN, Stage.PROTOTYPE, DecisionKind.AUTO_LAZY_CONSENSUS, "system", false, null);
        Proposal design = given(submitted());
        StageAdvanced advanced = (StageAdvanced) ProposalDecider.decide(toPrototype, design).get(0);
        assertThat(advanced.decision()).isEqualTo(DecisionKind.AUTO_LAZY_CONSENSUS);
        assertThat(advanced.decisionId()).isEqualTo("d-1");

        Proposal prototype = given(submitted(), advanced);
        assertThat(ProposalDecider.decide(toPrototype, prototype)).isEmpty();
        assertThat(ProposalDecider.whyTransitionIgnored(toPrototype, prototype)).contains(
                "the proposal is in PROTOTYPE, not DESIGN");
        ProposalCommand.ApplyTransition skipping = new ProposalCommand.ApplyTransition("czar", "d-2",
                Stage.DESIGN, Stage.STABLE, DecisionKind.CZAR, "czar", true, "r");
        assertThat(ProposalDecider.decide(skipping, design)).isEmpty();
    }
}
