package org.pvlifecycle.consumer;

import org.pvlifecycle.testkit.SampleEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.testkit.OnVertx.await;

/** An operator lists this service's dead letters with their reasons and re-drives them, idempotently. */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class DeadLettersIT {
    static final String OPERATOR = TestTokens.raw("ops", "operator");

    static List<Map<String, Object>> deadLettersOf(String proposal) {
        JsonPath body = given().auth().oauth2(OPERATOR).get("/admin/dead-letters").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> all = body.getList("$");
        return all.stream().filter(d -> proposal.equals(d.get("key")))
                .toList();
    }

    static void refuse(String proposal, boolean refused) {
        await(() -> SessionSql.update(refused
                ? "insert into refused_proposals (proposal_id) values ($1)"
                : "delete from refused_proposals where proposal_id = $1", proposal));
    }

    @Test
    void anEffectThatKeepsLosingRacesIsTriedUntilItWinsNotDeadLettered() {
        String proposal = SampleEvents.newProposal();
        // More lost races than the attempts an effect that fails for a reason of its own gets.
        ObjectionCountingHandler.RACES_TO_LOSE.put(proposal, new java.util.concurrent.atomic.AtomicInteger(5));
        EventConsumerIT.sendObjection(proposal, UUID.randomUUID().toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> EventConsumerIT.effects(proposal) == 1);
        assertThat(ObjectionCountingHandler.RACES_TO_LOSE.get(proposal).get()).isNegative();
        assertThat(deadLettersOf(proposal)).isEmpty();
    }

    @Test
    void aFailedEffectIsListedWithItsReasonAndReDrivenOnceItsCauseIsFixed() {
        String proposal = SampleEvents.newProposal();
        String eventId = UUID.randomUUID().toString();
        refuse(proposal, true);
        EventConsumerIT.sendObjection(proposal, eventId);

        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLettersOf(proposal).isEmpty());
        Map<String, Object> letter = deadLettersOf(proposal).get(0);
        assertThat(letter.get("consumer")).isEqualTo(ObjectionCountingHandler.CONSUMER);
        assertThat(letter.get("eventId")).isEqualTo(eventId);
        assertThat(letter.get("type")).isEqualTo("pv.review.objection-raised.v1");
        assertThat(letter.get("originalTopic")).isEqualTo(Topics.REVIEW);
        assertThat(String.valueOf(letter.get("reason"))).contains("the test refuses " + proposal);
        assertThat(letter.get("redrive")).isNull();
        String id = (String) letter.get("id");
        assertThat(id).startsWith(Topics.deadLetter(Topics.REVIEW) + ":");

        // Still refused: the re-drive fails again, with the reason, and applies nothing.
        given().auth().oauth2(OPERATOR).post("/admin/dead-letters/" + id + "/redrive").then().statusCode(200)
                .body("[0].outcome", org.hamcrest.Matchers.equalTo("FAILED"))
                .body("[0].reason", org.hamcrest.Matchers.containsString("the test refuses"));
        assertThat(EventConsumerIT.effects(proposal)).isZero();

        refuse(proposal, false);
        given().auth().oauth2(OPERATOR).post("/admin/dead-letters/" + id + "/redrive").then().statusCode(200)
                .body("[0].outcome", org.hamcrest.Matchers.equalTo("APPLIED"))
                .body("[0].consumer", org.hamcrest.Matchers.equalTo(ObjectionCountingHandler.CONSUMER));
        assertThat(EventConsumerIT.effects(proposal)).isEqualTo(1);

        // Again, one by one or all at once: the inbox has it, nothing changes.
        given().auth().oauth2(OPERATOR).post("/admin/dead-letters/" + id + "/redrive").then().statusCode(200)
                .body("[0].outcome", org.hamcrest.Matchers.equalTo("ALREADY_APPLIED"));
        List<Map<String, Object>> all = given().auth().oauth2(OPERATOR).post("/admin/dead-letters/redrive")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(all).noneMatch(r -> id.equals(r.get("id")));
        assertThat(EventConsumerIT.effects(proposal)).isEqualTo(1);
        assertThat(((Map<?, ?>) deadLettersOf(proposal).get(0).get("redrive")).get("outcome")).isEqualTo("ALREADY_APPLIED");
    }

    @Test
    void anUnreadableMessageIsListedAndItsReDriveFails() {
        String proposal = SampleEvents.newProposal();
        TopicProbe.send(Topics.REVIEW, proposal, "not-a-cloud-event-" + proposal, Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLettersOf(proposal).isEmpty());
        Map<String, Object> letter = deadLettersOf(proposal).get(0);
        assertThat(String.valueOf(letter.get("reason"))).contains("not a CloudEvent");
        given().auth().oauth2(OPERATOR).post("/admin/dead-letters/" + letter.get("id") + "/redrive").then()
                .statusCode(200).body("[0].outcome", org.hamcrest.Matchers.equalTo("FAILED"));
    }

    /**
     * A dead letter names its consumer. One named as this consumer was called before names were
     * derived ({@code event-consumer.review-in}) is still this one's; one of another service on the
     * shared dead-letter topic is not listed here.
     */
    @Test
    void aDeadLetterUnderTheConsumersFormerNameIsStillItsAndAnotherServicesIsNot() {
        String former = SampleEvents.newProposal();
        String foreign = SampleEvents.newProposal();
        String dlq = Topics.deadLetter(Topics.REVIEW);
        TopicProbe.send(dlq, former, "not-a-cloud-event", Map.of("pvl-consumer", "event-consumer.review-in",
                "dead-letter-reason", "written before names were derived"));
        TopicProbe.send(dlq, foreign, "not-a-cloud-event", Map.of("pvl-consumer", "review-service.proposal-events",
                "dead-letter-reason", "another service's"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLettersOf(former).isEmpty());
        assertThat(deadLettersOf(former).get(0).get("consumer")).isEqualTo(ObjectionCountingHandler.CONSUMER);
        assertThat(deadLettersOf(foreign)).isEmpty();
    }

    @Test
    void onlyOperatorsSeeDeadLettersAndAnUnknownOneIs404() {
        given().get("/admin/dead-letters").then().statusCode(401);
        given().auth().oauth2(TestTokens.raw("carol", "reviewer")).get("/admin/dead-letters").then().statusCode(403);
        given().auth().oauth2(OPERATOR).post("/admin/dead-letters/pv.review.events.dlq:0:99999999/redrive").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(OPERATOR).post("/admin/dead-letters/nonsense/redrive").then().statusCode(404);
    }
}
