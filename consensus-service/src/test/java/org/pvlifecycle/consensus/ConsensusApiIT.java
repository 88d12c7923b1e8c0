package org.pvlifecycle.consensus;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.ServiceConventions;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.pvlifecycle.consensus.ConsensusFixtures.ALICE;
import static org.pvlifecycle.consensus.ConsensusFixtures.CAROL;
import static org.pvlifecycle.consensus.ConsensusFixtures.CZAR;
import static org.pvlifecycle.consensus.ConsensusFixtures.eligibility;
import static org.pvlifecycle.consensus.ConsensusFixtures.post;
import static org.pvlifecycle.consensus.ConsensusFixtures.put;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class ConsensusApiIT {

    @Test
    void isOperableAndChecksTokens() {
        ServiceConventions.assertOperable("pv-lifecycle consensus-service");
        ServiceConventions.assertNeedsValidToken("/proposals/pv-x/eligibility");
        eligibility("pv-unknown-one").statusCode(404).contentType("application/problem+json");
        given().when().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("pvl_proposals"));
    }

    @Test
    void aNewProposalNamesEveryBlocker() {
        String id = ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend");
        eligibility(id).statusCode(200)
                .body("stage", equalTo("DESIGN"))
                .body("eligible", equalTo(false))
                .body("blockers.code", contains("NO_REVIEW_REQUESTED", "EVIDENCE_MISSING"))
                .body("blockers[1].evidenceKind", equalTo("DESIGN_COMMITTED"))
                .body("blockers[0].message", org.hamcrest.Matchers.notNullValue());
        List<ConsumerRecord<String, String>> announced = ConsensusFixtures.consensusEvents(id,
                "pv.consensus.eligibility-changed.v1", 1);
        assertThat(announced).hasSize(1);
        assertThat(TopicProbe.header(announced.get(0), "ce_source")).isEqualTo("/consensus-service");
    }

    @Test
    void thePolicyIsReadByAllChangedByTheCzarAndValidated() {
        given().header("Authorization", ALICE).when().get("/policy").then().statusCode(200)
                .body("reviewWindows.DESIGN", org.hamcrest.Matchers.notNullValue())
                .body("maintainers", org.hamcrest.Matchers.notNullValue());
        Map<String, Object> valid = ConsensusFixtures.policy("P14D", "P7D", "P7D", false);
        put(ALICE, "/policy", valid).statusCode(403);

        Map<String, Object> badDuration = new java.util.HashMap<>(valid);
        badDuration.put("responseWindow", "seven days");
        put(CZAR, "/policy", badDuration).statusCode(422).body("errors.field", contains("responseWindow"));
        Map<String, Object> negative = new java.util.HashMap<>(valid);
        negative.put("czarDecisionWindow", "-P1D");
        put(CZAR, "/policy", negative).statusCode(422).body("errors.field", contains("czarDecisionWindow"));
        Map<String, Object> missingStage = new java.util.HashMap<>(valid);
        missingStage.put("reviewWindows", Map.of("DESIGN", "P1D"));
        put(CZAR, "/policy", missingStage).statusCode(422).body("errors.field", contains("reviewWindows"));
        Map<String, Object> nullWindow = new java.util.HashMap<>(valid);
        Map<String, Object> windows = new java.util.HashMap<>(Map.of("DESIGN", "P1D", "PROTOTYPE", "P1D"));
        windows.put("PRODUCTION", null);
        nullWindow.put("reviewWindows", windows);
        put(CZAR, "/policy", nullWindow).statusCode(422).body("errors.field", contains("reviewWindows.PRODUCTION"));
        Map<String, Object> noMaintainers = new java.util.HashMap<>(valid);
        noMaintainers.remove("maintainers");
        put(CZAR, "/policy", noMaintainers).statusCode(422).body("errors.field", contains("maintainers"));

        // Beyond ten years a window's end could leave the years a database time holds.
        Map<String, Object> endless = new java.util.HashMap<>(valid);
        endless.put("reviewWindows", Map.of("DESIGN", "P999999999D", "PROTOTYPE", "P1D", "PRODUCTION", "P1D"));
        put(CZAR, "/policy", endless).statusCode(422).body("errors.field", contains("reviewWindows.DESIGN"));
        Map<String, Object> decade = new java.util.HashMap<>(valid);
        decade.put("czarDecisionWindow", "P3651D");
        put(CZAR, "/policy", decade).statusCode(422).body("errors.field", contains("czarDecisionWindow"));
        // ISO-8601 weeks are durations too, read back in days.
        Map<String, Object> weeks = new java.util.HashMap<>(valid);
        weeks.put("responseWindow", "P2W");
        put(CZAR, "/policy", weeks).statusCode(200).body("responseWindow", equalTo("P14D"));

        int before = given().header("Authorization", ALICE).when().get("/policy").then().extract().path("version");
        put(CZAR, "/policy", valid).statusCode(200).body("version", equalTo(before + 1))
                .body("reviewWindows.DESIGN", equalTo("P14D")).body("responseWindow", equalTo("P7D"));
        given().header("Authorization", CAROL).when().get("/policy").then().body("version", equalTo(before + 1));
    }

    @Test
    void theCzarDecidesOnlyTheNextStageAndOverridesWithARationale() {
        String id = ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend");
        TopicProbe.publish(new ObjectionRaised(id, id + ".o1", Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                "The request id is 32 bits wide but the ring is larger.", false), "carol");
        await().atMost(Duration.ofSeconds(30)).until(() -> eligibility(id).extract().jsonPath()
                .getList("blockers.code").contains("OBJECTION_BLOCKING"));

        post(CAROL, "/proposals/" + id + "/transitions", Map.of("to", "PROTOTYPE")).statusCode(403);
        post(CZAR, "/proposals/" + id + "/transitions", Map.of("to", "PROTOTYPE")).statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/not-eligible"))
                .body("blockers.code", hasItems("OBJECTION_BLOCKING", "NO_REVIEW_REQUESTED"))
                .body("blockers.find { it.code == 'OBJECTION_BLOCKING' }.objectionId", equalTo(id + ".o1"))
                .body("blockers.find { it.code == 'OBJECTION_BLOCKING' }.by", equalTo("carol"));
        post(CZAR, "/proposals/" + id + "/transitions", Map.of("to", "STABLE", "override", true, "rationale", "r"))
                .statusCode(409).body("type", endsWith("/not-the-next-stage"));
        post(CZAR, "/proposals/" + id + "/transitions", Map.of("to", "PROTOTYPE", "override", true)).statusCode(422)
                .body("errors.field", contains("rationale"));
        post(CZAR, "/proposals/" + id + "/transitions", Map.of("to", "SIDEWAYS")).statusCode(422)
                .body("errors.field", contains("to"));
        post(CZAR, "/proposals/pv-nobody-here/transitions", Map.of("to", "PROTOTYPE")).statusCode(404);

        post(CZAR, "/proposals/" + id + "/transitions", Map.of("to", "PROTOTYPE", "override", true,
                "rationale", "The objection concerns the prototype, not the design"))
                .statusCode(202).body("decision", equalTo("CZAR")).body("override", equalTo(true))
                .body("decidedBy", equalTo("xen-czar")).body("overriddenBlockers.code", hasItems("OBJECTION_BLOCKING"));
        post(CZAR, "/proposals/" + id + "/transitions", Map.of("to", "PROTOTYPE", "override", true, "rationale", "r"))
                .statusCode(409).body("type", endsWith("/already-decided"));

        List<ConsumerRecord<String, String>> decided = ConsensusFixtures.consensusEvents(id,
                "pv.consensus.transition-decided.v1", 1);
        assertThat(decided.stream().filter(r -> "pv.consensus.transition-decided.v1".equals(TopicProbe.header(r, "ce_type"))))
                .hasSize(1).allSatisfy(r -> assertThat(TopicProbe.header(r, "ce_actor")).isEqualTo("xen-czar"));
    }

    /**
     * Review events that reach the service back to back are applied a batch at a time, each
     * proposal's row read and written once per batch: every event must still be announced as if
     * it came alone, in order, with the consensus events' sequence numbers without gap or repeat.
     */
    @Test
    void aBurstOfReviewEventsAcrossProposalsIsAnnouncedEventByEventInOrder() {
        List<String> ids = List.of(ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend"),
                ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend"),
                ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend"));
        int rounds = 4;
        List<ProducerRecord<String, String>> burst = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (String id : ids) {
                String objection = id + ".o" + round;
                burst.add(reviewRecord(new ObjectionRaised(id, objection, Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                        "The ring layout breaks 32-bit guests on this ABI.", false)));
                burst.add(reviewRecord(new ObjectionWithdrawn(id, objection, "answered on the list")));
            }
        }
        TopicProbe.sendAll(burst);

        for (String id : ids) {
            List<ConsumerRecord<String, String>> announced = ConsensusFixtures.consensusEvents(id,
                    "pv.consensus.eligibility-changed.v1", 1 + 2 * rounds);
            List<String> changes = announced.stream()
                    .filter(r -> "pv.consensus.eligibility-changed.v1".equals(TopicProbe.header(r, "ce_type")))
                    .map(ConsumerRecord::value).toList();
            assertThat(changes).as("one eligibility-changed at the submission and one per review event")
                    .hasSize(1 + 2 * rounds);
            for (int round = 1; round <= rounds; round++) {
                assertThat(changes.get(2 * round - 1)).as("raised o%d: blocked by it", round)
                        .contains("OBJECTION_BLOCKING").contains("\"" + id + ".o" + round + "\"");
                assertThat(changes.get(2 * round)).as("withdrawn o%d: not blocked by an objection", round)
                        .doesNotContain("OBJECTION_BLOCKING");
            }
            assertThat(announced.stream().map(r -> Long.parseLong(TopicProbe.header(r, "ce_sequence"))).toList())
                    .as("the consensus events of %s, numbered without gap or repeat", id)
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, announced.size()).boxed().toList());
        }
    }

    private static ProducerRecord<String, String> reviewRecord(LifecycleEvent event) {
        EventType type = EventType.of(event);
        return TopicProbe.record(type.topic(), event.proposalId(), EventJson.write(event), Map.of(
                "ce_specversion", EventEnvelope.SPEC_VERSION, "ce_id", UUID.randomUUID().toString(),
                "ce_source", type.source(), "ce_type", type.typeName(), "ce_subject", event.proposalId(),
                "ce_time", Instant.now().toString(), "ce_sequence", "1", "ce_actor", "carol",
                "content-type", EventEnvelope.DATA_CONTENT_TYPE));
    }
}
