package org.pvlifecycle.review.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.AckRetracted;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.DeciderFixture;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The objection state machine and the ack rules: given(events) → when(command) → then(events | refusal). */
class ReviewDeciderTest {
    static final String P = "pvcalls-v2";
    static final Instant T0 = DeciderFixture.START;
    static final String RATIONALE = "The request id is 32 bits wide but the ring can hold more entries.";
    static final ProposalFacts FACTS = new ProposalFacts("alice", Stage.DESIGN, List.of("linux-frontend"), null,
            Duration.ofDays(7), false);

    /** A proposal's review with no history yet, decided with {@code facts} and no lapses. */
    static DeciderFixture<ReviewCommand, Review, LifecycleEvent> review(ProposalFacts facts) {
        return DeciderFixture.of(ReviewDecider.decider(P, facts, Map.of()), ReviewCommand::actor);
    }

    static ReviewCommand.Raise raise(String who) {
        return new ReviewCommand.Raise(who, T0, ObjectionCategory.ABI, "ABI", RATIONALE, null);
    }

    static Consumer<ReviewRefusal> reason(ReviewRefusal.Reason reason) {
        return r -> assertThat(r.reason()).isEqualTo(reason);
    }

    static ObjectionStatus status(Review review, String oid) {
        return review.objection(oid).orElseThrow().status();
    }

    @Test
    void theResponsiveMannerCycleAndItsEnds() {
        var s = review(FACTS);
        String oid = s.when(raise("carol")).event(ObjectionRaised.class).objectionId();
        assertThat(oid).isEqualTo("pvcalls-v2.o1");
        assertThat(status(s.state(), oid)).isEqualTo(ObjectionStatus.OPEN);

        s.when(new ReviewCommand.Reaffirm("carol", T0, oid, "still", null))
                .thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.WRONG_STATUS));
        s.when(new ReviewCommand.Answer("bob", T0, oid, "not mine", null))
                .thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.NOT_ALLOWED));

        s.when(new ReviewCommand.Answer("alice", T0.plusSeconds(60), oid, "capped at 2^16", null))
                .then(new ObjectionAnswered(P, oid, "capped at 2^16", T0.plusSeconds(60).plus(Duration.ofDays(7))));
        s.when(new ReviewCommand.Answer("alice", T0, oid, "again", null))
                .thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.WRONG_STATUS));
        s.when(new ReviewCommand.Reaffirm("dave", T0, oid, "me too", null))
                .thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.NOT_ALLOWED));

        s.when(new ReviewCommand.Reaffirm("carol", T0, oid, "the cap is not in the spec", null))
                .thenState(r -> assertThat(status(r, oid)).isEqualTo(ObjectionStatus.REAFFIRMED))
                .when(new ReviewCommand.Answer("alice", T0, oid, "revision 3 states it", null))
                .when(new ReviewCommand.Withdraw("carol", T0, oid, "fixed", null))
                .thenState(r -> assertThat(status(r, oid)).isEqualTo(ObjectionStatus.WITHDRAWN))
                .thenState(r -> assertThat(r.objection(oid).orElseThrow().thread()).extracting(Review.Entry::kind)
                        .containsExactly("RAISED", "ANSWERED", "REAFFIRMED", "ANSWERED", "WITHDRAWN"));

        for (ReviewCommand late : List.<ReviewCommand>of(
                new ReviewCommand.Answer("alice", T0, oid, "x", null),
                new ReviewCommand.Reaffirm("carol", T0, oid, "x", null),
                new ReviewCommand.Withdraw("carol", T0, oid, "x", null),
                new ReviewCommand.Overrule("czar", T0, oid, "x"))) {
            s.when(late).thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.WRONG_STATUS));
        }
    }

    @Test
    void aLapseEndsTheObjectionAndAnOverruleToo() {
        var s = review(FACTS);
        String first = s.when(raise("carol")).event(ObjectionRaised.class).objectionId();
        String second = s.when(raise("dave")).event(ObjectionRaised.class).objectionId();
        s.when(new ReviewCommand.Answer("alice", T0, first, "answer", null));

        Map<String, Instant> lapses = Map.of(first, T0.plus(Duration.ofDays(8)));
        Review lapsed = ReviewDecider.withLapses(s.state(), lapses);
        assertThat(status(lapsed, first)).isEqualTo(ObjectionStatus.LAPSED);
        assertThat(lapsed.objection(first).orElseThrow().blocking(true)).isFalse();
        s.decidedBy(ReviewDecider.decider(P, FACTS, lapses));
        s.when(new ReviewCommand.Reaffirm("carol", T0, first, "too late", null))
                .thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.WRONG_STATUS));

        s.when(new ReviewCommand.Overrule("czar", T0, second, "enforced by the backend"))
                .thenState(r -> assertThat(status(r, second)).isEqualTo(ObjectionStatus.OVERRULED));
    }

    @Test
    void objectionsMustBeSpecificAndOnAnOpenProposal() {
        review(FACTS).when(new ReviewCommand.Raise("carol", T0, ObjectionCategory.ABI, "ABI",
                        "   too vague, sorry                  ", null))
                .thenRefused(ReviewRefusal.class, r -> assertThat(r.field()).isEqualTo("rationale"));
        review(null).when(raise("carol")).thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.UNKNOWN));
        review(new ProposalFacts("alice", Stage.STABLE, List.of("linux-frontend"), null, Duration.ofDays(7), false))
                .when(raise("carol")).thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.CLOSED));
    }

    @Test
    void aTerminalProposalTakesNoStepOnItsObjectionsOrAcks() {
        for (Stage terminal : List.of(Stage.STABLE, Stage.WITHDRAWN)) {
            var s = review(FACTS);
            String answered = s.when(raise("carol")).event(ObjectionRaised.class).objectionId();
            s.when(new ReviewCommand.Answer("alice", T0, answered, "the ring is sized by the frontend", null));
            String open = s.when(raise("dave")).event(ObjectionRaised.class).objectionId();
            String ack = s.when(new ReviewCommand.GiveAck("carol", T0, AckKind.ACKED_BY, "linux-frontend", null))
                    .event(AckGiven.class).ackId();
            s.decidedBy(ReviewDecider.decider(P, new ProposalFacts("alice", terminal, List.of("linux-frontend"), null,
                    Duration.ofDays(7), false), Map.of()));
            for (ReviewCommand step : List.of(
                    new ReviewCommand.Answer("alice", T0, open, "answered too late", null),
                    new ReviewCommand.Reaffirm("carol", T0, answered, "still wrong", null),
                    new ReviewCommand.Withdraw("dave", T0, open, "moot", null),
                    new ReviewCommand.Overrule("czar", T0, open, "moot"),
                    new ReviewCommand.RetractAck("carol", T0, ack, null))) {
                s.when(step).thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.CLOSED));
            }
        }
    }

    @Test
    void anObjectionAfterTheWindowClosedIsLateAndBlocksOnlyIfThePolicySays() {
        var s = review(new ProposalFacts("alice", Stage.DESIGN, List.of("linux-frontend"), T0, Duration.ofDays(7),
                false));
        ObjectionRaised onTime = s.when(new ReviewCommand.Raise("carol", T0.minusSeconds(1), ObjectionCategory.ABI,
                "ABI", RATIONALE, null)).event(ObjectionRaised.class);
        ObjectionRaised late = s.when(raise("carol")).event(ObjectionRaised.class);
        assertThat(onTime.late()).isFalse();
        assertThat(late.late()).isTrue();
        Review.Objection lateOne = s.state().objection(late.objectionId()).orElseThrow();
        assertThat(lateOne.blocking(false)).isFalse();
        assertThat(lateOne.blocking(true)).isTrue();
    }

    @Test
    void oneLiveAckPerAuthorKindComponentAndStage() {
        var s = review(FACTS);
        ReviewCommand.GiveAck ack = new ReviewCommand.GiveAck("bob", T0, AckKind.ACKED_BY, "linux-frontend", null);
        s.when(ack).then(new AckGiven(P, P + ".a1", Stage.DESIGN, AckKind.ACKED_BY, "linux-frontend"));
        s.when(ack).thenNothing();
        s.when(new ReviewCommand.GiveAck("bob", T0, AckKind.TESTED_BY, "linux-frontend", null))
                .then(new AckGiven(P, P + ".a2", Stage.DESIGN, AckKind.TESTED_BY, "linux-frontend"));
        s.when(new ReviewCommand.GiveAck("bob", T0, AckKind.ACKED_BY, "windows-frontend", null))
                .thenRefused(ReviewRefusal.class, r -> assertThat(r.field()).isEqualTo("component"));

        String ackId = s.state().liveAck("bob", AckKind.ACKED_BY, "linux-frontend", Stage.DESIGN).orElseThrow().ackId();
        s.when(new ReviewCommand.RetractAck("carol", T0, ackId, null))
                .thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.NOT_ALLOWED));
        s.when(new ReviewCommand.RetractAck("bob", T0, ackId, null)).then(new AckRetracted(P, ackId));
        s.when(new ReviewCommand.RetractAck("bob", T0, ackId, null))
                .thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.UNKNOWN));
        s.when(ack).then(new AckGiven(P, P + ".a3", Stage.DESIGN, AckKind.ACKED_BY, "linux-frontend"));
    }

    @Test
    void eachStepAListMessageCausedCarriesThatMessageAndItsSendersName() {
        Source nack = Source.mail("nack@example.org", "xen-devel.lists.xenproject.org");
        Source reply = Source.mail("reply@example.org", "xen-devel.lists.xenproject.org");
        Source again = Source.mail("again@example.org", "xen-devel.lists.xenproject.org");
        Source withdrawal = Source.mail("withdraw@example.org", "xen-devel.lists.xenproject.org");
        Source acked = Source.mail("acked@example.org", "xen-devel.lists.xenproject.org");
        Source retracted = Source.mail("retracted@example.org", "xen-devel.lists.xenproject.org");
        var s = review(FACTS);
        String oid = P + ".o1";

        s.when(new ReviewCommand.Raise("carol@example.org", T0, ObjectionCategory.OTHER, "general", RATIONALE, nack))
                .then(new ObjectionRaised(P, oid, Stage.DESIGN, ObjectionCategory.OTHER, "general", RATIONALE, false,
                        nack))
                .thenState(r -> assertThat(r.objection(oid).orElseThrow().author()).isEqualTo("carol@example.org"));
        s.when(new ReviewCommand.Answer("alice", T0, oid, "capped", reply))
                .then(new ObjectionAnswered(P, oid, "capped", T0.plus(Duration.ofDays(7)), reply));
        s.when(new ReviewCommand.Reaffirm("carol@example.org", T0, oid, "not in the spec", again))
                .then(new ObjectionReaffirmed(P, oid, "not in the spec", again));
        s.when(new ReviewCommand.Withdraw("carol@example.org", T0, oid, "I withdraw my NACK", withdrawal))
                .then(new ObjectionWithdrawn(P, oid, "I withdraw my NACK", withdrawal));

        s.when(new ReviewCommand.GiveAck("bob", T0, AckKind.REVIEWED_BY, "linux-frontend", acked))
                .then(new AckGiven(P, P + ".a1", Stage.DESIGN, AckKind.REVIEWED_BY, "linux-frontend", acked));
        s.when(new ReviewCommand.RetractAck("bob", T0, P + ".a1", retracted))
                .then(new AckRetracted(P, P + ".a1", retracted));
    }

    /** The event store keeps this state as a snapshot: read back, it is the state that was written. */
    @Test
    void theReviewReadBackFromItsSnapshotIsTheSame() {
        Source nack = Source.mail("nack@example.org", "xen-devel.lists.xenproject.org");
        var s = review(FACTS);
        s.when(raise("carol"));
        String answered = s.when(new ReviewCommand.Raise("dave@example.org", T0, ObjectionCategory.OTHER, "general",
                RATIONALE, nack)).event(ObjectionRaised.class).objectionId();
        s.when(new ReviewCommand.Answer("alice", T0.plusSeconds(60), answered, "capped at 2^16", null));
        s.when(new ReviewCommand.GiveAck("bob", T0, AckKind.ACKED_BY, "linux-frontend", null));
        String retracted = s.when(new ReviewCommand.GiveAck("erin", T0, AckKind.TESTED_BY, "linux-frontend", null))
                .event(AckGiven.class).ackId();
        s.when(new ReviewCommand.RetractAck("erin", T0, retracted, null))
                .thenState(r -> {
                    assertThat(r.objections()).hasSize(2);
                    assertThat(r.acks()).hasSize(2);
                    assertThat(EventJson.readState(EventJson.writeState(r), Review.class)).isEqualTo(r);
                });
    }

    @Test
    void aListMessageSentAgainActsOnce() {
        Source nack = Source.mail("nack@example.org", "xen-devel.lists.xenproject.org");
        Source reply = Source.mail("reply@example.org", "xen-devel.lists.xenproject.org");
        Source withdrawal = Source.mail("withdraw@example.org", "xen-devel.lists.xenproject.org");
        var s = review(FACTS);
        String oid = P + ".o1";
        ReviewCommand.Raise raise = new ReviewCommand.Raise("carol", T0, ObjectionCategory.ABI, "ABI", RATIONALE, nack);

        s.when(raise).event(ObjectionRaised.class);
        // The gateway could not tell whether its first attempt arrived: the same message acts once...
        s.when(raise).thenNothing().when(new ReviewCommand.Raise("carol", T0, ObjectionCategory.ABI, " ABI ", RATIONALE,
                nack)).thenNothing();
        // ...but the same message may object to another part, and the same text from another
        // message, or over REST, is a new objection.
        s.when(new ReviewCommand.Raise("carol", T0, ObjectionCategory.ABI, "ring layout", RATIONALE, nack))
                .thenState(r -> assertThat(r.objections()).containsKey(P + ".o2"));
        s.when(new ReviewCommand.Raise("carol", T0, ObjectionCategory.ABI, "ABI", RATIONALE, reply))
                .thenState(r -> assertThat(r.objections()).containsKey(P + ".o3"));
        s.when(raise("carol")).thenState(r -> assertThat(r.objections()).containsKey(P + ".o4"));

        ReviewCommand.Answer answer = new ReviewCommand.Answer("alice", T0, oid, "capped", reply);
        s.when(answer).event(ObjectionAnswered.class);
        s.when(answer).thenNothing();
        ReviewCommand.Withdraw withdraw = new ReviewCommand.Withdraw("carol", T0, oid, "fixed", withdrawal);
        s.when(withdraw).event(ObjectionWithdrawn.class);
        s.when(withdraw).thenNothing()
                .thenState(r -> assertThat(r.objection(oid).orElseThrow().thread()).extracting(Review.Entry::kind)
                        .containsExactly("RAISED", "ANSWERED", "WITHDRAWN"));
        // A later step over REST is still refused as before.
        s.when(new ReviewCommand.Withdraw("carol", T0, oid, "fixed", null))
                .thenRefused(ReviewRefusal.class, reason(ReviewRefusal.Reason.WRONG_STATUS));
    }

    @Test
    void aCommandSentOverRestCarriesNoSource() {
        var s = review(FACTS);
        assertThat(s.when(raise("carol")).event(ObjectionRaised.class).source()).isNull();
        assertThat(s.when(new ReviewCommand.GiveAck("bob", T0, AckKind.ACKED_BY, "linux-frontend", null))
                .event(AckGiven.class).source()).isNull();
    }
}
