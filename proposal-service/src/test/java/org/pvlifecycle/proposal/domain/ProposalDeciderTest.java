package org.pvlifecycle.proposal.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.DecisionKind;
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
import org.pvlifecycle.testkit.DeciderFixture;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** given(past events) → when(command) → then(new events | refusal). */
class ProposalDeciderTest {
    static final Instant T0 = DeciderFixture.START;
    static final String ID = "pvcalls-v2";

    static DeciderFixture<ProposalCommand, Proposal, LifecycleEvent> given(LifecycleEvent... events) {
        return DeciderFixture.of(ProposalDecider.DECIDER, ProposalCommand::actor).given(events);
    }

    static ProposalSubmitted submitted() {
        return new ProposalSubmitted(ID, "PV Calls v2", "sockets", "alice", List.of("linux-frontend"), 1,
                SpecAnalysisTest.COMPLETE, List.of(), List.of());
    }

    static StageAdvanced advanced(Stage from, Stage to) {
        return new StageAdvanced(ID, from, to, "d-1", DecisionKind.CZAR, "czar", false, "fine");
    }

    static Consumer<ProposalRefusal> reason(ProposalRefusal.Reason reason) {
        return r -> assertThat(r.reason()).isEqualTo(reason);
    }

    @Test
    void submittingAnalysesTheSpecAndStartsInDesignAtRevisionOne() {
        given().when(new ProposalCommand.Submit("alice", ID, "T", "S", List.of("linux-frontend"), "# ABI\n", null))
                .then(new ProposalSubmitted(ID, "T", "S", "alice", List.of("linux-frontend"), 1, "# ABI\n",
                        List.of(SpecAnalysis.XENSTORE_HANDSHAKE, SpecAnalysis.PROTOCOL_OPERATION), List.of()))
                .thenState(p -> assertThat(p.stage()).isEqualTo(Stage.DESIGN));
    }

    @Test
    void aSecondSubmissionOfTheSameIdIsRefused() {
        given(submitted()).when(new ProposalCommand.Submit("bob", ID, "T", "S", List.of("x1"), "s", null))
                .thenRefused(ProposalRefusal.class, reason(ProposalRefusal.Reason.ALREADY_EXISTS));
    }

    @Test
    void revisionsNumberOnAndCarryTheirAnalysis() {
        String spec = "```\nstruct a { int b; };\n```";
        given(submitted(), new ProposalRevised(ID, 2, "x", null, List.of(), List.of()))
                .when(new ProposalCommand.Revise("alice", spec, "n", null))
                .then(new ProposalRevised(ID, 3, spec, "n", List.of(SpecAnalysis.XENSTORE_HANDSHAKE, SpecAnalysis.ABI,
                        SpecAnalysis.PROTOCOL_OPERATION), List.of(SpecAnalysis.C_STRUCTS_DISCOURAGED)))
                .thenState(p -> assertThat(p.revision()).isEqualTo(3));
    }

    @Test
    void onlyTheOwnerRevisesRecordsEvidenceAndRequestsReview() {
        for (ProposalCommand command : List.<ProposalCommand>of(
                new ProposalCommand.Revise("bob", "s", null, null),
                new ProposalCommand.RecordEvidence("bob", "e", EvidenceKind.DESIGN_COMMITTED, "abc123", null),
                new ProposalCommand.RequestReview("bob", T0, null))) {
            given(submitted()).when(command).thenRefused(ProposalRefusal.class, reason(ProposalRefusal.Reason.NOT_OWNER));
        }
    }

    @Test
    void theOwnerOrTheCzarWithdrawsAndThenOnlyReadsWork() {
        given(submitted()).when(new ProposalCommand.Withdraw("bob", false, "r")).thenRefused(ProposalRefusal.class);
        given(submitted()).when(new ProposalCommand.Withdraw("czar", true, "r"))
                .then(new ProposalWithdrawn(ID, Stage.DESIGN, "r"))
                .thenState(p -> assertThat(p.stage()).isEqualTo(Stage.WITHDRAWN));

        for (ProposalCommand command : List.<ProposalCommand>of(
                new ProposalCommand.Revise("alice", "s", null, null),
                new ProposalCommand.RequestReview("alice", T0, null),
                new ProposalCommand.Withdraw("alice", false, "again"))) {
            given(submitted(), new ProposalWithdrawn(ID, Stage.DESIGN, "r")).when(command)
                    .thenRefused(ProposalRefusal.class, reason(ProposalRefusal.Reason.CLOSED));
        }
    }

    @Test
    void evidenceDetailIsCheckedPerKindAndKeepsOnlyItsKindsFields() {
        given(submitted()).when(new ProposalCommand.RecordEvidence("alice", "e", EvidenceKind.COMPAT_PROMISES, "doc",
                        new EvidenceDetail(null, null, "yes", " ", null)))
                .thenRefused(ProposalRefusal.class, r -> assertThat(r.field()).isEqualTo("detail.crossPlatform"));
        given(submitted()).when(new ProposalCommand.RecordEvidence("alice", "e", EvidenceKind.VERSION_BUMPED, "doc",
                        new EvidenceDetail(null, null, null, null, 0)))
                .thenRefused(ProposalRefusal.class, r -> assertThat(r.field()).isEqualTo("detail.version"));
        given(submitted()).when(new ProposalCommand.RecordEvidence("alice", "e", EvidenceKind.PATCHES_POSTED, "msg-id",
                        null))
                .thenRefused(ProposalRefusal.class, r -> assertThat(r.field()).isEqualTo("detail.list"));

        given(submitted()).when(new ProposalCommand.RecordEvidence("alice", "e", EvidenceKind.UPSTREAM_COMMITTED,
                        "deadbeef", new EvidenceDetail("stray", " xen.git ", null, null, 7)))
                .then(new EvidenceRecorded(ID, "e", Stage.DESIGN, EvidenceKind.UPSTREAM_COMMITTED, "deadbeef",
                        new EvidenceDetail(null, "xen.git", null, null, null)));
    }

    @Test
    void aReviewRequestInsideAnOpenWindowIsRefusedAndAfterItClosedOpensAFreshOne() {
        var requested = given(submitted(), new ReviewRequested(ID, Stage.DESIGN, 1));
        Instant requestedAt = requested.state().reviewRequestedAt();
        Instant windowEnd = requestedAt.plusSeconds(3600);

        // Not yet announced, or announced and still open: refused.
        requested.when(new ProposalCommand.RequestReview("alice", requestedAt, null))
                .thenRefused(ProposalRefusal.class, reason(ProposalRefusal.Reason.WINDOW_OPEN));
        requested.when(new ProposalCommand.RequestReview("alice", windowEnd.minusSeconds(1), windowEnd))
                .thenRefused(ProposalRefusal.class);
        // An end announced for an older window says nothing of this one.
        requested.when(new ProposalCommand.RequestReview("alice", windowEnd, requestedAt.minusSeconds(1)))
                .thenRefused(ProposalRefusal.class);
        // Closed: a new request opens a fresh window.
        requested.when(new ProposalCommand.RequestReview("alice", windowEnd, windowEnd))
                .then(new ReviewRequested(ID, Stage.DESIGN, 1));
        // Each stage needs its own request.
        given(submitted(), new ReviewRequested(ID, Stage.DESIGN, 1), advanced(Stage.DESIGN, Stage.PROTOTYPE))
                .when(new ProposalCommand.RequestReview("alice", T0, null))
                .then(new ReviewRequested(ID, Stage.PROTOTYPE, 1));
    }

    @Test
    void aTransitionAppliesOnlyFromItsFromStage() {
        ProposalCommand.ApplyTransition toPrototype = new ProposalCommand.ApplyTransition("czar", "d-1",
                Stage.DESIGN, Stage.PROTOTYPE, DecisionKind.AUTO_LAZY_CONSENSUS, "system", false, null);
        var proposal = given(submitted());
        proposal.when(toPrototype)
                .then(new StageAdvanced(ID, Stage.DESIGN, Stage.PROTOTYPE, "d-1", DecisionKind.AUTO_LAZY_CONSENSUS,
                        "system", false, null))
                .thenState(p -> assertThat(p.stage()).isEqualTo(Stage.PROTOTYPE));

        proposal.when(toPrototype).thenNothing();
        assertThat(ProposalDecider.whyTransitionIgnored(toPrototype, proposal.state())).contains(
                "the proposal is in PROTOTYPE, not DESIGN");
        given(submitted()).when(new ProposalCommand.ApplyTransition("czar", "d-2", Stage.DESIGN, Stage.STABLE,
                DecisionKind.CZAR, "czar", true, "r")).thenNothing();
        given().when(toPrototype).thenNothing();
        assertThat(ProposalDecider.whyTransitionIgnored(toPrototype, Proposal.NONE)).contains("the proposal is unknown");
    }

    /** The event store keeps this state as a snapshot: read back, it is the state that was written. */
    @Test
    void theStateReadBackFromItsSnapshotIsTheSame() {
        given(submitted(), new ProposalRevised(ID, 2, "```\nstruct a { int b; };\n```", "n",
                        List.of(SpecAnalysis.ABI), List.of(SpecAnalysis.C_STRUCTS_DISCOURAGED)),
                new ReviewRequested(ID, Stage.DESIGN, 1), advanced(Stage.DESIGN, Stage.PROTOTYPE))
                .when(new ProposalCommand.RecordEvidence("alice", "e", EvidenceKind.UPSTREAM_COMMITTED, "deadbeef",
                        new EvidenceDetail(null, "xen.git", null, null, null)))
                .thenState(p -> {
                    assertThat(p.evidence()).isNotEmpty();
                    assertThat(org.pvlifecycle.events.EventJson.readState(org.pvlifecycle.events.EventJson.writeState(p),
                            Proposal.class)).isEqualTo(p);
                });
    }

    @Test
    void theSubmissionsPathsAreCarriedAndKeptOnceEach() {
        List<String> paths = List.of("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h");
        given().when(new ProposalCommand.Submit("alice", ID, "T", "S", List.of("linux-frontend"),
                        SpecAnalysisTest.COMPLETE, List.of(paths.get(0), paths.get(1), paths.get(0))))
                .then(new ProposalSubmitted(ID, "T", "S", "alice", List.of("linux-frontend"), 1,
                        SpecAnalysisTest.COMPLETE, List.of(), List.of(), paths))
                .thenState(p -> assertThat(p.paths()).isEqualTo(paths));
    }

    @Test
    void aSubmissionWithoutPathsIsWrittenAsBeforeAndHasNone() {
        for (List<String> none : java.util.Arrays.asList(null, List.<String>of())) {
            given().when(new ProposalCommand.Submit("alice", ID, "T", "S", List.of("linux-frontend"),
                            SpecAnalysisTest.COMPLETE, none))
                    .then(new ProposalSubmitted(ID, "T", "S", "alice", List.of("linux-frontend"), 1,
                            SpecAnalysisTest.COMPLETE, List.of(), List.of()))
                    .thenState(p -> assertThat(p.paths()).isEmpty());
        }
    }

    @Test
    void aRevisionReplacesThePathsOnlyWhenItNamesThem() {
        ProposalSubmitted withPaths = new ProposalSubmitted(ID, "T", "S", "alice", List.of("linux-frontend"), 1,
                SpecAnalysisTest.COMPLETE, List.of(), List.of(), List.of("docs/misc/pvcalls.pandoc"));
        var s = given(withPaths);
        s.when(new ProposalCommand.Revise("alice", SpecAnalysisTest.COMPLETE, "typo", null))
                .thenState(p -> assertThat(p.paths()).containsExactly("docs/misc/pvcalls.pandoc"))
                .events().forEach(e -> assertThat(((ProposalRevised) e).paths()).isNull());
        s.when(new ProposalCommand.Revise("alice", SpecAnalysisTest.COMPLETE, "moved",
                        List.of("docs/misc/pvcalls-v2.pandoc")))
                .then(new ProposalRevised(ID, 3, SpecAnalysisTest.COMPLETE, "moved", List.of(), List.of(),
                        List.of("docs/misc/pvcalls-v2.pandoc")))
                .thenState(p -> assertThat(p.paths()).containsExactly("docs/misc/pvcalls-v2.pandoc"));
        s.when(new ProposalCommand.Revise("alice", SpecAnalysisTest.COMPLETE, "none", List.of()))
                .thenState(p -> assertThat(p.paths()).isEmpty());
    }
}
