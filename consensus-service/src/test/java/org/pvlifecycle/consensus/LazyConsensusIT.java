package org.pvlifecycle.consensus;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.EvidenceDetail;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.testkit.OnVertx;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.pvlifecycle.consensus.ConsensusFixtures.CZAR;
import static org.pvlifecycle.consensus.ConsensusFixtures.eligibility;
import static org.pvlifecycle.consensus.ConsensusFixtures.post;
import static org.pvlifecycle.consensus.ConsensusFixtures.put;

/** Lazy consensus through real events, with a policy short enough to watch it work (PT2S). */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class LazyConsensusIT {
    static final String EVENTS = "pv.consensus.eligibility-changed.v1";

    @Inject
    ConsensusCommands processor;

    static void awaitEligible(String id, Stage stage) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var answer = eligibility(id).extract().jsonPath();
            return stage.name().equals(answer.getString("stage")) && answer.getBoolean("eligible");
        });
    }

    static void evidence(String id, Stage stage, EvidenceKind kind, EvidenceDetail detail) {
        TopicProbe.publish(new EvidenceRecorded(id, kind.name(), stage, kind, "ref", detail), "alice");
    }

    /** What the proposal service does with a decision: the stage changes. */
    static void advance(String id, Stage from, Stage to) {
        post(CZAR, "/proposals/" + id + "/transitions", Map.of("to", to.name())).statusCode(202)
                .body("decision", equalTo("CZAR")).body("override", equalTo(false));
        TopicProbe.publish(new StageAdvanced(id, from, to, "d-" + to, DecisionKind.CZAR, "xen-czar", false, null),
                "proposal-service");
        await().atMost(Duration.ofSeconds(30)).until(() -> to.name().equals(eligibility(id).extract().path("stage")));
    }

    @Test
    void aProposalGoesFromDesignToStableThroughEvents() {
        put(CZAR, "/policy", ConsensusFixtures.policy("PT2S", "PT2S", "PT60S", false)).statusCode(200);
        String id = ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend");

        evidence(id, Stage.DESIGN, EvidenceKind.DESIGN_COMMITTED, EvidenceDetail.none());
        TopicProbe.publish(new ReviewRequested(id, Stage.DESIGN, 1), "alice");
        awaitEligible(id, Stage.DESIGN);
        advance(id, Stage.DESIGN, Stage.PROTOTYPE);
        eligibility(id).body("blockers.code", org.hamcrest.Matchers.hasItems("NO_REVIEW_REQUESTED",
                "EVIDENCE_MISSING", "ACK_MISSING"));

        TopicProbe.publish(new ReviewRequested(id, Stage.PROTOTYPE, 1), "alice");
        evidence(id, Stage.PROTOTYPE, EvidenceKind.PATCHES_POSTED, new EvidenceDetail("xen-devel", null, null, null, null));
        evidence(id, Stage.PROTOTYPE, EvidenceKind.UPSTREAM_COMMITTED, new EvidenceDetail(null, "xen.git", null, null, null));
        TopicProbe.publish(new AckGiven(id, id + ".a1", Stage.PROTOTYPE, AckKind.ACKED_BY, "linux-frontend"), "alice2");
        awaitEligible(id, Stage.PROTOTYPE);
        advance(id, Stage.PROTOTYPE, Stage.PRODUCTION);

        TopicProbe.publish(new ReviewRequested(id, Stage.PRODUCTION, 1), "alice");
        evidence(id, Stage.PRODUCTION, EvidenceKind.COMPAT_PROMISES,
                new EvidenceDetail(null, null, "v1 frontends keep working", "no OS-specific fields", null));
        evidence(id, Stage.PRODUCTION, EvidenceKind.VERSION_BUMPED, new EvidenceDetail(null, null, null, null, 2));
        TopicProbe.publish(new AckGiven(id, id + ".a2", Stage.PRODUCTION, AckKind.TESTED_BY, "linux-frontend"), "dave");
        awaitEligible(id, Stage.PRODUCTION);
        advance(id, Stage.PRODUCTION, Stage.STABLE);
        eligibility(id).body("eligible", equalTo(false)).body("blockers", empty());

        // Announced only on change: no two announcements in a row say the same thing.
        List<ConsumerRecord<String, String>> announced = ConsensusFixtures.consensusEvents(id, EVENTS, 1).stream()
                .filter(r -> EVENTS.equals(TopicProbe.header(r, "ce_type"))).toList();
        for (int i = 1; i < announced.size(); i++) {
            assertThat(announced.get(i).value()).isNotEqualTo(announced.get(i - 1).value());
        }
        assertThat(announced.get(announced.size() - 1).value()).contains("\"stage\":\"STABLE\"");
    }

    @Test
    void silenceAfterAnAnswerLapsesTheObjectionOnceAndAutoAdvanceDecides() {
        put(CZAR, "/policy", ConsensusFixtures.policy("PT2S", "PT2S", "PT2S", true)).statusCode(200);
        String id = ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend");
        evidence(id, Stage.DESIGN, EvidenceKind.DESIGN_COMMITTED, EvidenceDetail.none());
        TopicProbe.publish(new ReviewRequested(id, Stage.DESIGN, 1), "alice");
        String oid = id + ".o1";
        TopicProbe.publish(new ObjectionRaised(id, oid, Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                "The request id is 32 bits wide but the ring is larger.", false), "carol");
        TopicProbe.publish(new ObjectionAnswered(id, oid, "Capped at 2^16.", Instant.now().plusSeconds(3)), "alice");

        List<ConsumerRecord<String, String>> events = ConsensusFixtures.consensusEvents(id,
                "pv.consensus.transition-decided.v1", 1);
        List<String> types = events.stream().map(r -> TopicProbe.header(r, "ce_type")).toList();
        assertThat(types.stream().filter("pv.consensus.objection-lapsed.v1"::equals)).hasSize(1);
        assertThat(types.stream().filter("pv.consensus.decision-overdue.v1"::equals)).hasSize(1);
        assertThat(types.indexOf("pv.consensus.objection-lapsed.v1"))
                .isLessThan(types.indexOf("pv.consensus.decision-overdue.v1"));
        ConsumerRecord<String, String> decided = events.stream()
                .filter(r -> "pv.consensus.transition-decided.v1".equals(TopicProbe.header(r, "ce_type"))).findFirst()
                .orElseThrow();
        assertThat(decided.value()).contains("\"decision\":\"AUTO_LAZY_CONSENSUS\"").contains("\"to\":\"PROTOTYPE\"");
        put(CZAR, "/policy", ConsensusFixtures.policy("P14D", "P7D", "P7D", false)).statusCode(200);
    }

    @Test
    void anAnsweredObjectionLapsesByTheClockEvenWhenItDoesNotBlock() {
        put(CZAR, "/policy", ConsensusFixtures.policy("PT1S", "P7D", "P7D", false)).statusCode(200);
        // A late objection (the window closed), which does not block under this policy.
        String late = ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend");
        TopicProbe.publish(new ReviewRequested(late, Stage.DESIGN, 1), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<String> codes = eligibility(late).extract().jsonPath().getList("blockers.code");
            return !codes.contains("NO_REVIEW_REQUESTED") && !codes.contains("WINDOW_OPEN");
        });
        // An objection on a proposal withdrawn after the answer: a terminal proposal has no deadline of its own.
        String withdrawn = ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend");
        Instant respondBy = Instant.now().plusSeconds(3);
        for (String id : List.of(late, withdrawn)) {
            TopicProbe.publish(new ObjectionRaised(id, id + ".o1", Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                    "The request id is 32 bits wide but the ring is larger.", id.equals(late)), "carol");
            TopicProbe.publish(new ObjectionAnswered(id, id + ".o1", "Capped at 2^16.", respondBy), "alice");
        }
        TopicProbe.publish(new ProposalWithdrawn(withdrawn, Stage.DESIGN, "superseded by v3"), "alice");

        // Nothing else happens to either proposal: only the deadline loop can lapse them.
        for (String id : List.of(late, withdrawn)) {
            assertThat(ConsensusFixtures.consensusEvents(id, "pv.consensus.objection-lapsed.v1", 1).stream()
                    .filter(r -> "pv.consensus.objection-lapsed.v1".equals(TopicProbe.header(r, "ce_type"))))
                    .as("lapses of %s", id).hasSize(1);
        }
        put(CZAR, "/policy", ConsensusFixtures.policy("P14D", "P7D", "P7D", false)).statusCode(200);
    }

    @Test
    void replicasFiringTogetherFireEachDeadlineOnce() throws Exception {
        put(CZAR, "/policy", ConsensusFixtures.policy("P14D", "P7D", "P7D", false)).statusCode(200);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend"));
        }
        Instant respondBy = Instant.now().plusSeconds(5);
        for (String id : ids) {
            TopicProbe.publish(new ObjectionRaised(id, id + ".o1", Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                    "The request id is 32 bits wide but the ring is larger.", false), "carol");
            TopicProbe.publish(new ObjectionAnswered(id, id + ".o1", "Capped.", respondBy), "alice");
        }
        // Every answered objection is known (blocking, with its deadline) before the deadline passes.
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> String.valueOf(eligibility(id)
                .extract().jsonPath().getString("blockers.find { it.code == 'OBJECTION_BLOCKING' }.message"))
                .contains("respond")));
        await().until(() -> Instant.now().isAfter(respondBy));

        // Three "replicas" fire at once, beside the service's own scheduler.
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> fired = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                fired.add(pool.submit(() -> OnVertx.await(() -> processor.fireDue(100))));
            }
            for (Future<Integer> f : fired) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (String id : ids) {
            List<ConsumerRecord<String, String>> events = ConsensusFixtures.consensusEvents(id,
                    "pv.consensus.objection-lapsed.v1", 1);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(ConsensusFixtures.consensusEvents(id, "pv.consensus.objection-lapsed.v1", 1).stream()
                    .filter(r -> "pv.consensus.objection-lapsed.v1".equals(TopicProbe.header(r, "ce_type"))))
                    .as("lapses of %s", id).hasSize(1);
            assertThat(events).isNotEmpty();
        }
    }
}
