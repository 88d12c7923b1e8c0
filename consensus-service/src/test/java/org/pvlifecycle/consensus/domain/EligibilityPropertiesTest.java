package org.pvlifecycle.consensus.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.Stage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §2's promises about eligibility, over generated proposals, policies and times. */
class EligibilityPropertiesTest {
    static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
    static final List<String> COMPONENTS = List.of("linux-frontend", "qemu-backend", "xen-tools");
    static final List<String> PEOPLE = List.of("alice", "bob", "mallory");

    record Case(ProposalState state, Policy policy, Instant now) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Stage> stage = Arbitraries.of(Stage.DESIGN, Stage.PROTOTYPE, Stage.PRODUCTION);
        Arbitrary<List<String>> components = Arbitraries.subsetOf(COMPONENTS).ofMinSize(1).map(List::copyOf);
        Arbitrary<List<String>> missing = Arbitraries.subsetOf("xenstore handshake", "ABI", "protocol operation")
                .map(List::copyOf);
        Arbitrary<Set<EvidenceKind>> evidence = Arbitraries.subsetOf(EvidenceKind.values());
        Arbitrary<Long> offset = Arbitraries.longs().between(-30L * 86400, 60L * 86400);
        Arbitrary<Instant> requested = offset.map(T0::plusSeconds).injectNull(0.2);
        Arbitrary<List<Instant>> revisions = offset.map(T0::plusSeconds).list().ofMaxSize(3);
        Arbitrary<Map<String, ProposalState.Objection>> objections = Combinators.combine(
                        Arbitraries.of(PEOPLE), stage, Arbitraries.of(true, false),
                        Arbitraries.of(ProposalState.ObjectionStatus.values()), offset.map(T0::plusSeconds).injectNull(0.3))
                .as((author, s, late, status, respondBy) -> new ProposalState.Objection(null, author, s, late, status,
                        respondBy))
                .list().ofMaxSize(4)
                .map(list -> {
                    Map<String, ProposalState.Objection> map = new LinkedHashMap<>();
                    for (int i = 0; i < list.size(); i++) {
                        ProposalState.Objection o = list.get(i);
                        map.put("o" + i, new ProposalState.Objection("o" + i, o.author(), o.stage(), o.late(),
                                o.status(), o.respondBy()));
                    }
                    return map;
                });
        Arbitrary<Map<String, ProposalState.Ack>> acks = Combinators.combine(Arbitraries.of(PEOPLE),
                        Arbitraries.of(AckKind.values()), Arbitraries.of(COMPONENTS), stage)
                .as((author, kind, component, s) -> new ProposalState.Ack(null, author, kind, component, s))
                .list().ofMaxSize(6)
                .map(list -> {
                    Map<String, ProposalState.Ack> map = new LinkedHashMap<>();
                    for (int i = 0; i < list.size(); i++) {
                        ProposalState.Ack a = list.get(i);
                        map.put("a" + i, new ProposalState.Ack("a" + i, a.author(), a.kind(), a.component(), a.stage()));
                    }
                    return map;
                });
        Arbitrary<Instant> eligibleSince = offset.map(T0::plusSeconds).injectNull(0.5);
        Arbitrary<ProposalState> states = Combinators.combine(stage, components, missing, evidence, requested,
                        revisions, objections, acks)
                .as((s, c, m, e, r, rev, o, a) -> new ProposalState("p", "owner", s, c, m, e, r, rev, o, a, null,
                        null, false, null))
                .flatMap(p -> eligibleSince.map(since -> new ProposalState(p.proposalId(), p.owner(), p.stage(),
                        p.components(), p.missingSections(), p.evidence(), p.reviewRequestedAt(),
                        p.revisionsSinceRequest(), p.objections(), p.acks(), null, since, false, null)));
        Arbitrary<Duration> duration = Arbitraries.longs().between(1, 30L * 86400).map(Duration::ofSeconds);
        Arbitrary<Policy> policies = Combinators.combine(duration, duration, duration, duration, duration,
                        Arbitraries.of(true, false))
                .as((design, prototype, reReview, decision, production, lateBlocks) -> new Policy(7,
                        Map.of(Stage.DESIGN, design, Stage.PROTOTYPE, prototype, Stage.PRODUCTION, production),
                        reReview, Duration.ofDays(7), decision, lateBlocks, false,
                        Map.of("linux-frontend", List.of("alice"), "qemu-backend", List.of("bob"),
                                "xen-tools", List.of("alice", "bob"))));
        return Combinators.combine(states, policies, offset.map(T0::plusSeconds)).as(Case::new);
    }

    @Property(tries = 2000)
    void neverEligibleWithABlockingObjection(@ForAll("cases") Case c) {
        boolean blocking = c.state().objections().values().stream().anyMatch(o ->
                (o.status() == ProposalState.ObjectionStatus.OPEN || o.status() == ProposalState.ObjectionStatus.REAFFIRMED
                        || (o.status() == ProposalState.ObjectionStatus.ANSWERED
                            && (o.respondBy() == null || c.now().isBefore(o.respondBy()))))
                        && (!o.late() || c.policy().lateObjectionsBlock()));
        if (blocking) {
            assertThat(Eligibility.evaluate(c.state(), c.policy(), c.now()).eligible()).isFalse();
        }
    }

    @Property(tries = 2000)
    void neverEligibleWithMissingEvidenceOrAckOrAnOpenWindow(@ForAll("cases") Case c) {
        ProposalState p = c.state();
        Eligibility.Answer answer = Eligibility.evaluate(p, c.policy(), c.now());
        if (!answer.eligible()) {
            return;
        }
        assertThat(p.evidence()).containsAll(Eligibility.REQUIRED_EVIDENCE.get(p.stage()));
        assertThat(p.reviewRequestedAt()).isNotNull();
        assertThat(c.now()).isAfterOrEqualTo(Eligibility.windowEnd(p, c.policy()));
        if (p.stage() == Stage.DESIGN) {
            assertThat(p.missingSections()).isEmpty();
        }
        if (p.stage() == Stage.PROTOTYPE) {
            for (String component : p.components()) {
                assertThat(p.acks().values()).anySatisfy(a -> {
                    assertThat(a.stage()).isEqualTo(Stage.PROTOTYPE);
                    assertThat(a.component()).isEqualTo(component);
                    assertThat(a.kind()).isIn(AckKind.ACKED_BY, AckKind.REVIEWED_BY);
                    assertThat(c.policy().isMaintainer(a.author(), component)).isTrue();
                });
            }
        }
        if (p.stage() == Stage.PRODUCTION) {
            assertThat(p.acks().values()).anySatisfy(a -> {
                assertThat(a.stage()).isEqualTo(Stage.PRODUCTION);
                assertThat(a.kind()).isEqualTo(AckKind.TESTED_BY);
            });
        }
    }

    @Property(tries = 2000)
    void theAnswerHoldsUntilTheNextDeadline(@ForAll("cases") Case c, @ForAll("fractions") double fraction) {
        Eligibility.Answer now = Eligibility.evaluate(c.state(), c.policy(), c.now());
        Instant later;
        if (now.nextDeadline() == null) {
            later = c.now().plus(Duration.ofDays(365));
        } else {
            assertThat(now.nextDeadline()).isAfter(c.now());
            long span = Duration.between(c.now(), now.nextDeadline()).toNanos();
            later = c.now().plusNanos(Math.min(span - 1, (long) (span * fraction)));
        }
        Eligibility.Answer then = Eligibility.evaluate(c.state(), c.policy(), later);
        assertThat(then.eligible()).isEqualTo(now.eligible());
        assertThat(then.windowEndsAt()).isEqualTo(now.windowEndsAt());
        assertThat(Eligibility.identities(then.blockers())).isEqualTo(Eligibility.identities(now.blockers()));
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Property(tries = 2000)
    void aRevisionInsideAWindowNeverShortensIt(@ForAll("cases") Case c, @ForAll("fractions") double fraction) {
        ProposalState p = c.state();
        Instant end = Eligibility.windowEnd(p, c.policy());
        if (end == null) {
            return;
        }
        long span = Duration.between(p.reviewRequestedAt(), end).toSeconds();
        Instant revisedAt = p.reviewRequestedAt().plusSeconds((long) (span * fraction));
        ProposalState revised = ConsensusEngine.apply(p, p.proposalId(),
                new org.pvlifecycle.events.ProposalRevised(p.proposalId(), 2, "# s", null, p.missingSections(), List.of()),
                revisedAt);
        assertThat(Eligibility.windowEnd(revised, c.policy())).isAfterOrEqualTo(end);
    }

    @Property(tries = 2000)
    void retractingAnAckNeverMakesAProposalMoreEligible(@ForAll("cases") Case c) {
        ProposalState p = c.state();
        Eligibility.Answer before = Eligibility.evaluate(p, c.policy(), c.now());
        for (String ackId : new ArrayList<>(p.acks().keySet())) {
            ProposalState retracted = ConsensusEngine.apply(p, p.proposalId(),
                    new org.pvlifecycle.events.AckRetracted(p.proposalId(), ackId), c.now());
            Eligibility.Answer after = Eligibility.evaluate(retracted, c.policy(), c.now());
            if (!before.eligible()) {
                assertThat(after.eligible()).isFalse();
            }
            assertThat(after.blockers().size()).isGreaterThanOrEqualTo(before.blockers().size());
        }
    }

}
