package org.pvlifecycle.consensus.bench;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.consensus.domain.Eligibility;
import org.pvlifecycle.consensus.domain.Policy;
import org.pvlifecycle.consensus.domain.ProposalState;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.Stage;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures, not a test: evaluations per second of the pure eligibility function on a PROTOTYPE
 * proposal with 50 objections and 50 acks. Not run by the test command:
 * <pre>mvn -B -pl consensus-service -am test -Dtest=EligibilityBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class EligibilityBenchmark {
    static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

    @Test
    void measure() {
        Map<String, ProposalState.Objection> objections = new LinkedHashMap<>();
        ProposalState.ObjectionStatus[] statuses = ProposalState.ObjectionStatus.values();
        for (int i = 0; i < 50; i++) {
            objections.put("o" + i, new ProposalState.Objection("o" + i, "reviewer" + (i % 7), Stage.DESIGN, i % 5 == 0,
                    statuses[i % statuses.length], T0.plus(Duration.ofHours(i))));
        }
        List<String> components = List.of("linux-frontend", "qemu-backend", "xen-tools", "freebsd-frontend");
        Map<String, ProposalState.Ack> acks = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            acks.put("a" + i, new ProposalState.Ack("a" + i, i % 3 == 0 ? "alice" : "someone" + i,
                    AckKind.values()[i % 3], components.get(i % components.size()), Stage.PROTOTYPE));
        }
        ProposalState state = new ProposalState("bench", "owner", Stage.PROTOTYPE, components, List.of(),
                EnumSet.of(EvidenceKind.PATCHES_POSTED), T0, List.of(T0.plusSeconds(60)), objections, acks, null, null,
                false, null);
        Policy policy = Policy.defaults();

        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += Eligibility.evaluate(state, policy, T0.plusSeconds(i)).blockers().size();
        }
        int rounds = 5;
        int perRound = 500_000;
        double best = 0;
        for (int r = 0; r < rounds; r++) {
            long started = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                sink += Eligibility.evaluate(state, policy, T0.plusSeconds(i)).blockers().size();
            }
            double perSecond = perRound / ((System.nanoTime() - started) / 1e9);
            best = Math.max(best, perSecond);
            System.out.printf(Locale.ROOT, "round %d: %,.0f evaluations/s%n", r + 1, perSecond);
        }
        System.out.printf(Locale.ROOT, "%n=== EligibilityBenchmark: 50 objections, 50 acks: best %,.0f evaluations/s (sink %d) ===%n%n",
                best, sink);
    }
}
