package org.pvlifecycle.consensus.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.Stage;
import org.quicktheories.core.Gen;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * docs/rules.md's promises about eligibility, over generated proposals, policies and times.
 *
 * <p>The seed is random on every run, so each run explores new cases; a failure prints the seed,
 * and {@code -DQT_SEED=<seed>} replays it.
 */
class EligibilityPropertiesTest {
    static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
    static final List<String> COMPONENTS = List.of("linux-frontend", "qemu-backend", "xen-tools");
    static final List<String> PEOPLE = List.of("alice", "bob", "mallory");
    static final int EXAMPLES = 2000;

    record Case(ProposalState state, Policy policy, Instant now) {
    }

    /** What a proposal covers; generated apart from its review history only because a zip takes at most five parts. */
    private record Scope(Stage stage, List<String> components, List<String> missingSections,
            Set<EvidenceKind> evidence) {
    }

    /** The review history of a proposal, for the same reason. */
    private record History(Instant reviewRequestedAt, List<Instant> revisionsSinceRequest,
            Map<String, ProposalState.Objection> objections, Map<String, ProposalState.Ack> acks) {
    }

    static Gen<Case> cases() {
        Gen<Stage> stage = arbitrary().pick(List.of(Stage.DESIGN, Stage.PROTOTYPE, Stage.PRODUCTION));
        Gen<List<String>> components = nonEmptySubsetOf(COMPONENTS);
        Gen<List<String>> missing = subsetOf(List.of("xenstore handshake", "ABI", "protocol operation"));
        Gen<Set<EvidenceKind>> evidence = subsetOf(List.of(EvidenceKind.values())).map(Set::copyOf);
        Gen<Long> offset = longs().between(-30L * 86400, 60L * 86400);
        Gen<Instant> instant = offset.map(T0::plusSeconds);
        Gen<Instant> requested = orNull(instant, 20);
        Gen<List<Instant>> revisions = lists().of(instant).ofSizeBetween(0, 3);
        Gen<ProposalState.Objection> objection = arbitrary().pick(PEOPLE)
                .zip(stage, booleans().all(), arbitrary().enumValues(ProposalState.ObjectionStatus.class),
                        orNull(instant, 30),
                        (author, s, late, status, respondBy) -> new ProposalState.Objection(null, author, s, late,
                                status, respondBy));
        Gen<Map<String, ProposalState.Objection>> objections = lists().of(objection)
                .ofSizeBetween(0, 4)
                .map(list -> {
                    Map<String, ProposalState.Objection> map = new LinkedHashMap<>();
                    for (int i = 0; i < list.size(); i++) {
                        ProposalState.Objection o = list.get(i);
                        map.put("o" + i, new ProposalState.Objection("o" + i, o.author(), o.stage(), o.late(),
                                o.status(), o.respondBy()));
                    }
                    return map;
                });
        Gen<ProposalState.Ack> ack = arbitrary().pick(PEOPLE)
                .zip(arbitrary().enumValues(AckKind.class), arbitrary().pick(COMPONENTS), stage,
                        (author, kind, component, s) -> new ProposalState.Ack(null, author, kind, component, s));
        Gen<Map<String, ProposalState.Ack>> acks = lists().of(ack)
                .ofSizeBetween(0, 6)
                .map(list -> {
                    Map<String, ProposalState.Ack> map = new LinkedHashMap<>();
                    for (int i = 0; i < list.size(); i++) {
                        ProposalState.Ack a = list.get(i);
                        map.put("a" + i, new ProposalState.Ack("a" + i, a.author(), a.kind(), a.component(), a.stage()));
                    }
                    return map;
                });
        Gen<Instant> eligibleSince = orNull(instant, 50);
        Gen<Scope> scopes = stage.zip(components, missing, evidence, Scope::new);
        Gen<History> histories = requested.zip(revisions, objections, acks, History::new);
        Gen<ProposalState> states = scopes.zip(histories, eligibleSince, (s, h, since) -> new ProposalState("p",
                "owner", s.stage(), s.components(), s.missingSections(), s.evidence(), h.reviewRequestedAt(),
                h.revisionsSinceRequest(), h.objections(), h.acks(), null, since, false, null));
        Gen<Duration> duration = longs().between(1, 30L * 86400).map(seconds -> Duration.ofSeconds(seconds));
        Gen<Map<Stage, Duration>> reviewWindows = duration.zip(duration, duration,
                (design, prototype, production) -> Map.of(Stage.DESIGN, design, Stage.PROTOTYPE, prototype,
                        Stage.PRODUCTION, production));
        Gen<Policy> policies = reviewWindows.zip(duration, duration, booleans().all(),
                (windows, reReview, decision, lateBlocks) -> new Policy(7, windows, reReview, Duration.ofDays(7),
                        decision, lateBlocks, false,
                        Map.of("linux-frontend", List.of("alice"), "qemu-backend", List.of("bob"),
                                "xen-tools", List.of("alice", "bob"))));
        return states.zip(policies, instant, Case::new);
    }

    /** A fraction in [0, 1], both ends included. */
    static Gen<Double> fractions() {
        return doubles().between(0, 1);
    }

    /** Any subset of the values, the empty one included, kept in the values' order. */
    static <T> Gen<List<T>> subsetOf(List<T> values) {
        return subsets(values, 0);
    }

    /** Any subset of the values with at least one of them, kept in the values' order. */
    static <T> Gen<List<T>> nonEmptySubsetOf(List<T> values) {
        return subsets(values, 1);
    }

    /**
     * Each subset is a bit mask over the values, so every subset is equally likely and a failing case
     * shrinks towards the smallest mask, that is towards fewer values.
     */
    private static <T> Gen<List<T>> subsets(List<T> values, int smallestMask) {
        return integers().between(smallestMask, (1 << values.size()) - 1).map(mask -> {
            List<T> subset = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    subset.add(values.get(i));
                }
            }
            return List.copyOf(subset);
        });
    }

    /** The generator's values, but null in about the given percentage of cases. */
    static <T> Gen<T> orNull(Gen<T> values, int percentNull) {
        return values.toOptionals(percentNull).map(value -> value.orElse(null));
    }

    @Test
    void neverEligibleWithABlockingObjection() {
        qt().withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
            boolean blocking = c.state().objections().values().stream().anyMatch(o ->
                    (o.status() == ProposalState.ObjectionStatus.OPEN
                            || o.status() == ProposalState.ObjectionStatus.REAFFIRMED
                            || (o.status() == ProposalState.ObjectionStatus.ANSWERED
                                && (o.respondBy() == null || c.now().isBefore(o.respondBy()))))
                            && (!o.late() || c.policy().lateObjectionsBlock()));
            if (blocking) {
                assertThat(Eligibility.evaluate(c.state(), c.policy(), c.now()).eligible()).isFalse();
            }
        });
    }

    @Test
    void neverEligibleWithMissingEvidenceOrAckOrAnOpenWindow() {
        qt().withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
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
        });
    }

    @Test
    void theAnswerHoldsUntilTheNextDeadline() {
        qt().withExamples(EXAMPLES).forAll(cases(), fractions()).checkAssert((c, fraction) -> {
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
        });
    }

    @Test
    void aRevisionInsideAWindowNeverShortensIt() {
        qt().withExamples(EXAMPLES).forAll(cases(), fractions()).checkAssert((c, fraction) -> {
            ProposalState p = c.state();
            Instant end = Eligibility.windowEnd(p, c.policy());
            if (end == null) {
                return;
            }
            long span = Duration.between(p.reviewRequestedAt(), end).toSeconds();
            Instant revisedAt = p.reviewRequestedAt().plusSeconds((long) (span * fraction));
            ProposalState revised = ConsensusDecider.apply(p, p.proposalId(),
                    new org.pvlifecycle.events.ProposalRevised(p.proposalId(), 2, "# s", null, p.missingSections(),
                            List.of()),
                    revisedAt);
            assertThat(Eligibility.windowEnd(revised, c.policy())).isAfterOrEqualTo(end);
        });
    }

    @Test
    void retractingAnAckNeverMakesAProposalMoreEligible() {
        qt().withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
            ProposalState p = c.state();
            Eligibility.Answer before = Eligibility.evaluate(p, c.policy(), c.now());
            for (String ackId : new ArrayList<>(p.acks().keySet())) {
                ProposalState retracted = ConsensusDecider.apply(p, p.proposalId(),
                        new org.pvlifecycle.events.AckRetracted(p.proposalId(), ackId), c.now());
                Eligibility.Answer after = Eligibility.evaluate(retracted, c.policy(), c.now());
                if (!before.eligible()) {
                    assertThat(after.eligible()).isFalse();
                }
                assertThat(after.blockers().size()).isGreaterThanOrEqualTo(before.blockers().size());
            }
        });
    }
}
