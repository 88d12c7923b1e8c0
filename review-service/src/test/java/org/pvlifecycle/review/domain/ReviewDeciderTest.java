package org.pvlifecycle.review.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.Stage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The objection state machine and the ack rules: given(events) → when(command) → then(events | refusal). */
class ReviewDeciderTest {
    static final String P = "pvcalls-v2";
    static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
    static final String RATIONALE = "The request id is 32 bits wide but the ring can hold more entries.";
    static final ProposalFacts FACTS = new ProposalFacts("alice", Stage.DESIGN, List.of("linux-frontend"), null,
            Duration.ofDays(7), false);

    /** Runs commands in order, each on the state the previous ones left, as the service would. */
    static final class Scenario {
        Review review = Review.empty(P);
        ProposalFacts facts = FACTS;
        long version;

        List<LifecycleEvent> when(ReviewCommand command) {
            List<LifecycleEvent> events = ReviewDecider.decide(command, review, facts);
            for (LifecycleEvent e : events) {
                version++;
                review = ReviewEvolution.apply(review, new EventEnvelope<>(UUID.randomUUID(), "/review-service",
                        EventType.of(e), P, command.now(), version, command.actor(), e));
            }
            return events;
        }

        void refused(ReviewCommand command, ReviewRefusal.Reason reason) {
            assertThatThrownBy(() -> ReviewDecider.decide(command, review, facts))
                    .isInstanceOfSatisfying(ReviewRefusal.class, r -> assertThat(r.reason()).isEqualTo(reason));
        }

        ObjectionStatus status(String oid) {
            return review.objection(oid).orElseThrow().status();
        }
    }

    static ReviewCommand.Raise raise(String who) {
        return new ReviewCommand.Raise(who, T0, ObjectionCategory.ABI, "ABI", RATIONALE);
    }

    @Test
    void theResponsiveMannerCycleAndItsEnds() {
        Scenario s = new Scenario();
        String oid = ((ObjectionRaised) s.when(raise("carol")).get(0)).objectionId();
        assertThat(oid).isEqualTo("pvcalls-v2.o1");
        assertThat(s.status(oid)).isEqualTo(ObjectionStatus.OPEN);

        s.refused(new ReviewCommand.Reaffirm("carol", T0, oid, "still"), ReviewRefusal.Reason.WRONG_STATUS);
        s.refused(new ReviewCommand.Answer("bob", T0, oid, "not mine"), ReviewRefusal.Reason.NOT_ALLOWED);

        ObjectionAnswered answered = (ObjectionAnswered) s.when(
                new ReviewCommand.Answer("alice", T0.plusSeconds(60), oid, "capped at 2^16")).get(0);
        assertThat(answered.respondBy()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofDays(7)));
        s.refused(new ReviewCommand.Answer("alice", T0, oid, "again"), ReviewRefusal.Reason.WRONG_STATUS);
        s.refused(new ReviewCommand.Reaffirm("dave", T0, oid, "me too"), ReviewRefusal.Reason.NOT_ALLOWED);

        s.when(new ReviewCommand.Reaffirm("carol", T0, oid, "the cap is not in the spec"));
        assertThat(s.status(oid)).isEqualTo(ObjectionStatus.REAFFIRMED);
        s.when(new ReviewCommand.Answer("alice", T0, oid, "revision 3 states it"));
        s.when(new ReviewCommand.Withdraw("carol", T0, oid, "fixed"));
        assertThat(s.status(oid)).isEqualTo(ObjectionStatus.WITHDRAWN);
        assertThat(s.review.objection(oid).orElseThrow().thread()).extracting(Review.Entry::kind)
                .containsExactly("RAISED", "ANSWERED", "REAFFIRMED", "ANSWERED", "WITHDRAWN");

        for (ReviewCommand late : List.<ReviewCommand>of(
                new ReviewCommand.Answer("alice", T0, oid, "x"),
                new ReviewCommand.Reaffirm("carol", T0, oid, "x"),
                new ReviewCommand.Withdraw("carol", T0, oid, "x"),
                new ReviewCommand.Overrule("czar", T0, oid, "x"))) {
            s.refused(late, ReviewRefusal.Reason.WRONG_STATUS);
        }
    }

    @Test
    void aLapseEndsTheObjectionAndAnOverruleToo() {
        Scenario s = new Scenario();
        String first = ((ObjectionRaised) s.when(raise("carol")).get(0)).objectionId();
        String second = ((ObjectionRaised) s.when(raise("dave")).get(0)).objectionId();
        s.when(new ReviewCommand.Answer("alice", T0, first, "answer"));

        s.review = ReviewDecider.withLapses(s.review, Map.of(first, T0.plus(Duration.ofDays(8))));
        assertThat(s.status(first)).isEqualTo(ObjectionStatus.LAPSED);
        assertThat(s.review.objection(first).orElseThrow().blocking(true)).isFalse();
        s.refused(new ReviewCommand.Reaffirm("carol", T0, first, "too late"), ReviewRefusal.Reason.WRONG_STATUS);

        s.when(new ReviewCommand.Overrule("czar", T0, second, "enforced by the backend"));
        assertThat(s.status(second)).isEqualTo(ObjectionStatus.OVERRULED);
    }

    @Test
    void objectionsMustBeSpecificAndOnAnOpenProposal() {
        Scenario s = new Scenario();
        assertThatThrownBy(() -> ReviewDecider.decide(new ReviewCommand.Raise("carol", T0, ObjectionCategory.ABI,
                "ABI", "   too vague, sorry                  "), s.review, FACTS))
                .isInstanceOfSatisfying(ReviewRefusal.class, r -> assertThat(r.field()).isEqualTo("rationale"));
        assertThatThrownBy(() -> ReviewDecider.decide(raise("carol"), s.review, null))
                .isInstanceOfSatisfying(ReviewRefusal.class, r -> assertThat(r.reason()).isEqualTo(ReviewRefusal.Reason.UNKNOWN));
        s.facts = new ProposalFacts("alice", Stage.STABLE, List.of("linux-frontend"), null, Duration.ofDays(7), false);
        s.refused(raise("carol"), ReviewRefusal.Reason.CLOSED);
    }

    @Test
    void anObjectionAfterTheWindowClosedIsLateAndBlocksOnlyIfThePolicySays() {
        Scenario s = new Scenario();
        s.facts = new ProposalFacts("alice", Stage.DESIGN, List.of("linux-frontend"), T0, Duration.ofDays(7), false);
        ObjectionRaised onTime = (ObjectionRaised) s.when(new ReviewCommand.Raise("carol", T0.minusSeconds(1),
                ObjectionCategory.ABI, "ABI", RATIONALE)).get(0);
        ObjectionRaised late = (ObjectionRaised) s.when(raise("carol")).get(0);
        assertThat(onTime.late()).isFalse();
        assertThat(late.late()).isTrue();
        assertThat(s.review.objection(late.objectionId()).orElseThrow().blocking(false)).isFalse();
        assertThat(s.review.objection(late.objectionId()).orElseThrow().blocking(true)).isTrue();
    }

    @Test
    void oneLiveAckPerAuthorKindComponentAndStage() {
        Scenario s = new Scenario();
        ReviewCommand.GiveAck ack = new ReviewCommand.GiveAck("bob", T0, AckKind.ACKED_BY, "linux-frontend");
        assertThat(s.when(ack)).hasSize(1);
        assertThat(s.when(ack)).isEmpty();
        assertThat(s.when(new ReviewCommand.GiveAck("bob", T0, AckKind.TESTED_BY, "linux-frontend"))).hasSize(1);
        assertThatThrownBy(() -> ReviewDecider.decide(new ReviewCommand.GiveAck("bob", T0, AckKind.ACKED_BY,
                "windows-frontend"), s.review, FACTS))
                .isInstanceOfSatisfying(ReviewRefusal.class, r -> assertThat(r.field()).isEqualTo("component"));

        String ackId = s.review.liveAck("bob", AckKind.ACKED_BY, "linux-frontend", Stage.DESIGN).orElseThrow().ackId();
        s.refused(new ReviewCommand.RetractAck("carol", T0, ackId), ReviewRefusal.Reason.NOT_ALLOWED);
        s.when(new ReviewCommand.RetractAck("bob", T0, ackId));
        s.refused(new ReviewCommand.RetractAck("bob", T0, ackId), ReviewRefusal.Reason.UNKNOWN);
        assertThat(s.when(ack)).hasSize(1);
    }
}
