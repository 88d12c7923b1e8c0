package org.pvlifecycle.consensus;

import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** What the consensus tests do as the other services and as people would. */
final class ConsensusFixtures {
    static final String ALICE = TestTokens.mint("alice", "contributor");
    static final String CZAR = TestTokens.mint("xen-czar", "czar");
    static final String CAROL = TestTokens.mint("carol", "reviewer");

    static String newId() {
        return "pv-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A proposal the consensus service has learnt of; returns when it answers for it. */
    static String submitted(String id, String... components) {
        TopicProbe.publish(new ProposalSubmitted(id, "PV Calls v2", "sockets", "alice", List.of(components), 1,
                "# spec", List.of(), List.of()), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> eligibility(id).extract().statusCode() == 200);
        return id;
    }

    static ValidatableResponse eligibility(String id) {
        return given().header("Authorization", ALICE).when().get("/proposals/" + id + "/eligibility").then();
    }

    static ValidatableResponse put(String token, String path, Object body) {
        return given().header("Authorization", token).contentType("application/json").body(body)
                .when().put(path).then().log().ifValidationFails();
    }

    static ValidatableResponse post(String token, String path, Object body) {
        return given().header("Authorization", token).contentType("application/json").body(body)
                .when().post(path).then().log().ifValidationFails();
    }

    static Map<String, Object> policy(String window, String response, String decision, boolean autoAdvance) {
        return Map.of(
                "reviewWindows", Map.of("DESIGN", window, "PROTOTYPE", window, "PRODUCTION", window),
                "reReviewPeriod", "PT1S", "responseWindow", response, "czarDecisionWindow", decision,
                "lateObjectionsBlock", false, "autoAdvance", autoAdvance,
                "maintainers", Map.of("linux-frontend", List.of("alice2"), "qemu-backend", List.of("bob")));
    }

    /** The consensus events about {@code id} on the topic, read until {@code atLeast} of {@code type} are there. */
    static List<ConsumerRecord<String, String>> consensusEvents(String id, String type, int atLeast) {
        return TopicProbe.readUntil(Topics.CONSENSUS, Duration.ofSeconds(30), records -> records.stream()
                        .filter(r -> id.equals(r.key()) && type.equals(TopicProbe.header(r, "ce_type"))).count() >= atLeast)
                .stream().filter(r -> id.equals(r.key())).toList();
    }

    private ConsensusFixtures() {
    }
}
