package org.pvlifecycle.notification.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.AckRetracted;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.DeliveryChannel;
import org.pvlifecycle.events.DeliveryFailed;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.EvidenceDetail;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.ObjectionOverruled;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.events.TransitionDecided;
import org.quicktheories.core.Gen;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class ConcernTest {
    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    static final Duration DAY = Duration.ofDays(1);
    static final String P = "pvsound";
    static final String O = P + ".o1";

    static EventEnvelope<LifecycleEvent> event(LifecycleEvent data) {
        EventType type = EventType.of(data);
        return new EventEnvelope<>(UUID.randomUUID(), type.source(), type, P, NOW, 1, "someone", data);
    }

    static List<AddressedNotice> of(LifecycleEvent data) {
        return Concern.of(event(data), Concern.Memory.NONE, DAY);
    }

    @Test
    void anObjectionConcernsTheOwner() {
        assertThat(of(new ObjectionRaised(P, O, Stage.DESIGN, ObjectionCategory.ABI, "ABI", "r", false)))
                .containsExactly(new AddressedNotice(Notice.OBJECTION_RAISED, Audience.OWNER, null, NOW, O));
    }

    @Test
    void anAnswerGivesItsAuthorTheDeadlineAndAReminderADayBefore() {
        Instant respondBy = NOW.plus(Duration.ofDays(7));
        assertThat(of(new ObjectionAnswered(P, O, "fixed", respondBy))).containsExactly(
                new AddressedNotice(Notice.OBJECTION_ANSWERED, Audience.OBJECTION_AUTHOR, respondBy, NOW, O),
                new AddressedNotice(Notice.RESPONSE_DUE_SOON, Audience.OBJECTION_AUTHOR, respondBy,
                        respondBy.minus(DAY), O));
    }

    @Test
    void aDeadlineCloserThanTheReminderLeadGetsNoReminder() {
        assertThat(of(new ObjectionAnswered(P, O, "fixed", NOW.plus(Duration.ofHours(20)))))
                .extracting(AddressedNotice::notice).containsExactly(Notice.OBJECTION_ANSWERED);
    }

    @Test
    void aLapseOrAnOverruleConcernsTheObjectionsAuthor() {
        assertThat(of(new ObjectionLapsed(P, O, NOW))).containsExactly(
                new AddressedNotice(Notice.OBJECTION_LAPSED, Audience.OBJECTION_AUTHOR, null, NOW, O));
        assertThat(of(new ObjectionOverruled(P, O, "why"))).containsExactly(
                new AddressedNotice(Notice.OBJECTION_OVERRULED, Audience.OBJECTION_AUTHOR, null, NOW, O));
    }

    @Test
    void aNewWindowConcernsTheReviewersOnceAndEligibilityTheCzarOnEachBecomingEligible() {
        Instant ends = NOW.plus(Duration.ofDays(14));
        EligibilityChanged opened = new EligibilityChanged(P, Stage.DESIGN, false, List.of(), ends, ends, null, 1);
        assertThat(of(opened)).containsExactly(new AddressedNotice(Notice.WINDOW_OPENED, Audience.REVIEWERS, ends, NOW, null));

        Concern.Memory afterOpen = Concern.remember(Concern.Memory.NONE, opened);
        EligibilityChanged eligible = new EligibilityChanged(P, Stage.DESIGN, true, List.of(), ends, null, null, 1);
        assertThat(Concern.of(event(eligible), afterOpen, DAY)).containsExactly(
                new AddressedNotice(Notice.PROPOSAL_ELIGIBLE, Audience.CZAR, null, NOW, null));

        Concern.Memory afterEligible = Concern.remember(afterOpen, eligible);
        assertThat(Concern.of(event(eligible), afterEligible, DAY)).isEmpty();
        EligibilityChanged blockedAgain = new EligibilityChanged(P, Stage.DESIGN, false, List.of(), ends, null, null, 1);
        Concern.Memory afterBlocked = Concern.remember(afterEligible, blockedAgain);
        assertThat(Concern.of(event(eligible), afterBlocked, DAY)).extracting(AddressedNotice::notice)
                .containsExactly(Notice.PROPOSAL_ELIGIBLE);
    }

    @Test
    void aWindowThatHasAlreadyEndedOpensNothing() {
        EligibilityChanged closed = new EligibilityChanged(P, Stage.DESIGN, false, List.of(), NOW.minusSeconds(1), null,
                null, 1);
        assertThat(of(closed)).isEmpty();
    }

    @Test
    void anOverdueDecisionConcernsTheCzarAndAnAdvanceTheOwner() {
        assertThat(of(new DecisionOverdue(P, Stage.DESIGN, NOW.minus(DAY), NOW))).extracting(AddressedNotice::audience)
                .containsExactly(Audience.CZAR);
        assertThat(of(new StageAdvanced(P, Stage.DESIGN, Stage.PROTOTYPE, "d", DecisionKind.CZAR, "zara", false, "ok")))
                .extracting(AddressedNotice::notice, AddressedNotice::audience)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Notice.PROPOSAL_ADVANCED, Audience.OWNER));
    }

    @Test
    void otherEventsConcernNoOneWithoutAsking() {
        assertThat(of(new ProposalRevised(P, 2, "# ABI", "n", List.of(), List.of()))).isEmpty();
        assertThat(of(new AckGiven(P, P + ".a1", Stage.DESIGN, AckKind.ACKED_BY, "linux-frontend"))).isEmpty();
    }

    /**
     * The planner reads what it remembered of a proposal only for an eligibility change: for an
     * event of every other type, whatever was remembered gives the same notices and stays as it
     * was. A new event type fails this test until it has a sample here.
     */
    @Test
    void onlyAnEligibilityChangeDependsOnWhatWasRemembered() {
        List<LifecycleEvent> others = List.of(
                new ProposalSubmitted(P, "PV Calls", "sockets", "alice", List.of("linux-frontend"), 1, "# ABI",
                        List.of(), List.of()),
                new EvidenceRecorded(P, P + ".e1", Stage.DESIGN, EvidenceKind.DESIGN_COMMITTED, "ref",
                        EvidenceDetail.none()),
                new ReviewRequested(P, Stage.DESIGN, 1),
                new ProposalWithdrawn(P, Stage.DESIGN, "superseded"),
                new AckRetracted(P, P + ".a1"),
                new TransitionDecided(P, Stage.DESIGN, Stage.PROTOTYPE, DecisionKind.CZAR, "zara", false, "ok",
                        List.of()),
                new PolicyChanged(2, Map.of(Stage.DESIGN, Duration.ofDays(14)), Duration.ofDays(7),
                        Duration.ofDays(7), Duration.ofDays(7), false, false, Map.of()),
                new DeliveryFailed(P, "s1", UUID.randomUUID().toString(), "pv.review.objection-raised.v1",
                        DeliveryChannel.WEBHOOK, "https://example.org/hook", 8, 500, "server error"),
                new ProposalRevised(P, 2, "# ABI", "n", List.of(), List.of()),
                new AckGiven(P, P + ".a1", Stage.DESIGN, AckKind.ACKED_BY, "linux-frontend"),
                new ObjectionRaised(P, O, Stage.DESIGN, ObjectionCategory.ABI, "ABI", "r", false),
                new ObjectionAnswered(P, O, "fixed", NOW.plus(Duration.ofDays(7))),
                new ObjectionReaffirmed(P, O, "t"),
                new ObjectionWithdrawn(P, O, "t"),
                new ObjectionOverruled(P, O, "t"),
                new ObjectionLapsed(P, O, NOW),
                new DecisionOverdue(P, Stage.DESIGN, NOW.minus(DAY), NOW),
                new StageAdvanced(P, Stage.DESIGN, Stage.PROTOTYPE, "d", DecisionKind.CZAR, "zara", false, "ok"));
        Gen<Concern.Memory> memories = longs().between(-30L * 86400, 30L * 86400)
                .zip(booleans().all(), integers().between(0, 3),
                        (offset, eligible, nullWindow) -> new Concern.Memory(
                                nullWindow == 0 ? null : NOW.plusSeconds(offset), eligible));
        qt().withExamples(500).forAll(integers().between(0, others.size() - 1), memories)
                .checkAssert((index, memory) -> {
                    LifecycleEvent data = others.get(index);
                    assertThat(Concern.readsMemory(data)).isFalse();
                    assertThat(Concern.of(event(data), memory, DAY))
                            .isEqualTo(Concern.of(event(data), Concern.Memory.NONE, DAY));
                    assertThat(Concern.remember(memory, data)).isEqualTo(memory);
                });
        EligibilityChanged changed = new EligibilityChanged(P, Stage.DESIGN, true, List.of(), NOW, null, null, 1);
        assertThat(Concern.readsMemory(changed)).isTrue();
        Set<EventType> sampled = EnumSet.of(EventType.of(changed));
        others.forEach(data -> sampled.add(EventType.of(data)));
        assertThat(sampled).isEqualTo(EnumSet.allOf(EventType.class));
    }

    @Test
    void aComponentsMaintainersAreTheOnesWhoseAckItWaitsOnTheRestsForAnOrphan() {
        Map<String, List<String>> maintainers = new LinkedHashMap<>();
        maintainers.put("linux-frontend", List.of("alice", "bob", "alice"));
        maintainers.put("argo", List.of());
        maintainers.put("the-rest", List.of("rest"));
        maintainers.put("unmapped", List.of());
        PolicyChanged policy = new PolicyChanged(3, Map.of(Stage.DESIGN, Duration.ofDays(14)), Duration.ofDays(7),
                Duration.ofDays(7), Duration.ofDays(7), false, false, maintainers, Map.of(
                        "argo", new PolicyChanged.Component("ARGO", List.of("xen/common/argo.c"), List.of(), List.of()),
                        "the-rest", new PolicyChanged.Component("THE REST", List.of("*"), List.of(), List.of())));

        assertThat(Concern.maintainers(policy)).containsExactlyInAnyOrder(
                new Concern.Maintainer("linux-frontend", "alice"),
                new Concern.Maintainer("linux-frontend", "bob"),
                new Concern.Maintainer("argo", "rest"),
                new Concern.Maintainer("the-rest", "rest"));
    }

    @Test
    void aPolicyThatNamesNoMaintainersNamesNobody() {
        assertThat(Concern.maintainers(new PolicyChanged(2, Map.of(Stage.DESIGN, Duration.ofDays(14)),
                Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(7), false, false, null))).isEmpty();
        assertThat(Concern.maintainers(new PolicyChanged(2, Map.of(Stage.DESIGN, Duration.ofDays(14)),
                Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(7), false, false,
                Map.of("qemu-backend", List.of())))).isEmpty();
    }

    @Test
    void theAuthorsWaitEndsWithAReaffirmationAWithdrawalAnOverruleOrALapse() {
        assertThat(Concern.endsWaitFor(new ObjectionReaffirmed(P, O, "t"))).isEqualTo(O);
        assertThat(Concern.endsWaitFor(new ObjectionWithdrawn(P, O, "t"))).isEqualTo(O);
        assertThat(Concern.endsWaitFor(new ObjectionOverruled(P, O, "t"))).isEqualTo(O);
        assertThat(Concern.endsWaitFor(new ObjectionLapsed(P, O, NOW))).isEqualTo(O);
        assertThat(Concern.endsWaitFor(new ObjectionAnswered(P, O, "t", NOW))).isNull();
    }
}
