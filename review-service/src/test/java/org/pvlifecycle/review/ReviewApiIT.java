package org.pvlifecycle.review;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.ServiceConventions;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class ReviewApiIT {
    static final String ALICE = TestTokens.mint("alice", "contributor");
    static final String CAROL = TestTokens.mint("carol", "reviewer");
    static final String DAVE = TestTokens.mint("dave", "reviewer");
    static final String CZAR = TestTokens.mint("xen-czar", "czar");
    static final String GATEWAY = TestTokens.mint("mail-service", "mail-gateway");
    static final String LIST = "xen-devel.lists.xenproject.org";
    static final String RATIONALE = "The request id is 32 bits wide but the ring can hold more entries.";

    static ValidatableResponse post(String token, String path, Object body) {
        return given().header("Authorization", token).contentType("application/json").body(body)
                .when().post(path).then().log().ifValidationFails();
    }

    static Map<String, Object> objection() {
        return Map.of("category", "ABI", "section", "ABI", "rationale", RATIONALE);
    }

    /** A proposal the review service has learnt of from the proposal service's event. */
    static String knownProposal() {
        String id = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        TopicProbe.publish(new ProposalSubmitted(id, "PV Calls v2", "sockets", "alice",
                List.of("linux-frontend", "qemu-backend"), 1, "# ABI", List.of(), List.of()), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", CAROL)
                .contentType("application/json").body(Map.of("kind", "REVIEWED_BY", "component", "qemu-backend"))
                .when().post("/proposals/" + id + "/acks").statusCode() != 404);
        return id;
    }

    static String raise(String id) {
        return post(CAROL, "/proposals/" + id + "/objections", objection()).statusCode(201)
                .extract().jsonPath().getString("objectionId");
    }

    @Test
    void isOperableAndChecksTokens() {
        ServiceConventions.assertOperable("pv-lifecycle review-service");
        ServiceConventions.assertNeedsValidToken("/objections/pv-x.o1");
    }

    @Test
    void anObjectionBeforeTheSubmissionIsKnownIs404ThenSucceeds() {
        String id = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        post(CAROL, "/proposals/" + id + "/objections", objection()).statusCode(404)
                .contentType("application/problem+json");
        TopicProbe.publish(new ProposalSubmitted(id, "T", "S", "alice", List.of("linux-frontend"), 1, "# x",
                List.of(), List.of()), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", CAROL)
                .contentType("application/json").body(objection()).when().post("/proposals/" + id + "/objections")
                .statusCode() == 201);
    }

    @Test
    void theObjectionStateMachineByTheRightAndTheWrongPeople() {
        String id = knownProposal();
        String oid = raise(id);
        given().header("Authorization", ALICE).when().get("/objections/" + oid).then().statusCode(200)
                .body("proposal", equalTo(id)).body("author", equalTo("carol")).body("status", equalTo("OPEN"))
                .body("blocking", equalTo(true)).body("late", equalTo(false)).body("respondBy", nullValue())
                .body("thread.kind", contains("RAISED"));

        post(DAVE, "/objections/" + oid + "/answers", Map.of("text", "not mine")).statusCode(409);
        post(CAROL, "/objections/" + oid + "/reaffirmations", Map.of("text", "early")).statusCode(409)
                .body("type", endsWith("/wrong-status"));
        post(ALICE, "/objections/" + oid + "/answers", Map.of("text", "Capped at 2^16 entries, see ABI."))
                .statusCode(201).body("status", equalTo("ANSWERED")).body("respondBy", notNullValue());
        post(DAVE, "/objections/" + oid + "/reaffirmations", Map.of("text", "me too")).statusCode(409)
                .body("type", endsWith("/not-allowed"));
        post(CAROL, "/objections/" + oid + "/reaffirmations", Map.of("text", "The cap is not in the spec."))
                .statusCode(201).body("status", equalTo("REAFFIRMED")).body("blocking", equalTo(true));
        post(ALICE, "/objections/" + oid + "/answers", Map.of("text", "Revision 3 states it.")).statusCode(201);
        post(CAROL, "/objections/" + oid + "/withdrawal", Map.of("text", "Fixed.")).statusCode(202)
                .body("status", equalTo("WITHDRAWN")).body("blocking", equalTo(false))
                .body("thread.kind", contains("RAISED", "ANSWERED", "REAFFIRMED", "ANSWERED", "WITHDRAWN"));
        post(CAROL, "/objections/" + oid + "/reaffirmations", Map.of("text", "again")).statusCode(409);

        String other = raise(id);
        post(CAROL, "/objections/" + other + "/overrule", Map.of("rationale", "mine")).statusCode(403);
        post(CZAR, "/objections/" + other + "/overrule", Map.of()).statusCode(422)
                .body("errors.field", contains("rationale"));
        post(CZAR, "/objections/" + other + "/overrule", Map.of("rationale", "Enforced by the backend."))
                .statusCode(202).body("status", equalTo("OVERRULED"));
        given().header("Authorization", ALICE).when().get("/objections/" + id + ".o99").then().statusCode(404);
        given().header("Authorization", ALICE).when().get("/objections/no-such-shape").then().statusCode(404);
    }

    @Test
    void vagueObjectionsAreRefusedNamingTheField() {
        String id = knownProposal();
        post(CAROL, "/proposals/" + id + "/objections", Map.of("category", "ABI", "section", "ABI",
                "rationale", "I do not like it")).statusCode(422).contentType("application/problem+json")
                .body("errors.field", contains("rationale"));
        post(CAROL, "/proposals/" + id + "/objections", Map.of("category", "ABI", "section", "ABI",
                "rationale", "x".repeat(20_001))).statusCode(422).body("errors.field", contains("rationale"))
                .body("errors.message", contains("must be at most 20000 characters"));
        post(CAROL, "/proposals/" + id + "/objections", Map.of("section", "ABI", "rationale", RATIONALE))
                .statusCode(422).body("errors.field", contains("category"));
        post(CAROL, "/proposals/" + id + "/objections", Map.of("category", "TASTE", "section", "ABI",
                "rationale", RATIONALE)).statusCode(422).body("errors.field", contains("category"));
        post(CAROL, "/proposals/" + id + "/objections", Map.of("category", "ABI", "rationale", RATIONALE))
                .statusCode(422).body("errors.field", contains("section"));
        post(ALICE, "/proposals/" + id + "/objections", objection()).statusCode(403);
    }

    @Test
    void lateObjectionsAndLapsesAreLearntFromConsensusEvents() {
        String id = knownProposal();
        String onTime = raise(id);
        TopicProbe.publish(new EligibilityChanged(id, Stage.DESIGN, false, List.of(), Instant.now().minusSeconds(1),
                null, null, 1), "consensus-service");
        // Objections raised before the announcement is consumed are on time; the first after it is late.
        AtomicReference<String> late = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var raised = post(CAROL, "/proposals/" + id + "/objections", objection()).statusCode(201).extract().jsonPath();
            late.set(raised.getString("objectionId"));
            return raised.getBoolean("late");
        });
        given().header("Authorization", ALICE).when().get("/objections/" + late.get()).then()
                .body("late", equalTo(true)).body("blocking", equalTo(false));

        post(ALICE, "/objections/" + onTime + "/answers", Map.of("text", "Answered.")).statusCode(201);
        String lapse = UUID.randomUUID().toString();
        ObjectionLapsed lapsed = new ObjectionLapsed(id, onTime, Instant.now());
        TopicProbe.publish(lapsed, "consensus-service", lapse);
        TopicProbe.publish(lapsed, "consensus-service", lapse);
        await().atMost(Duration.ofSeconds(30)).until(() -> "LAPSED".equals(given().header("Authorization", ALICE)
                .when().get("/objections/" + onTime).then().extract().jsonPath().getString("status")));
        given().header("Authorization", ALICE).when().get("/objections/" + onTime).then()
                .body("blocking", equalTo(false)).body("thread.kind", contains("RAISED", "ANSWERED", "LAPSED"));
        post(CAROL, "/objections/" + onTime + "/reaffirmations", Map.of("text", "too late")).statusCode(409);
    }

    /**
     * A second review of the stage (the re-review period has passed): consensus announces the new
     * window's end a moment after the request. An objection raised in that moment is on time,
     * not late against the window that ended before the request.
     */
    @Test
    void anObjectionRightAfterAFreshReviewRequestIsNotLateAgainstTheLastWindow() {
        String id = knownProposal();
        TopicProbe.publish(new EligibilityChanged(id, Stage.DESIGN, false, List.of(), Instant.now().minusSeconds(60),
                null, null, 1), "consensus-service");
        await().atMost(Duration.ofSeconds(30)).until(() -> post(CAROL, "/proposals/" + id + "/objections", objection())
                .statusCode(201).extract().jsonPath().getBoolean("late"));

        TopicProbe.publish(new ReviewRequested(id, Stage.DESIGN, 1), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> !post(CAROL, "/proposals/" + id + "/objections", objection())
                .statusCode(201).extract().jsonPath().getBoolean("late"));

        // The new window's end, once announced, counts again: it is after the request, so a
        // redelivery of the request leaves it.
        TopicProbe.publish(new EligibilityChanged(id, Stage.DESIGN, false, List.of(), Instant.now().minusMillis(1),
                null, null, 1), "consensus-service");
        await().atMost(Duration.ofSeconds(30)).until(() -> post(CAROL, "/proposals/" + id + "/objections", objection())
                .statusCode(201).extract().jsonPath().getBoolean("late"));
    }

    @Test
    void acksAreUniqueRetractableAndOnlyForListedComponents() {
        String id = knownProposal();
        String ackId = post(DAVE, "/proposals/" + id + "/acks", Map.of("kind", "ACKED_BY", "component", "linux-frontend"))
                .statusCode(201).extract().jsonPath().getString("ackId");
        post(DAVE, "/proposals/" + id + "/acks", Map.of("kind", "ACKED_BY", "component", "linux-frontend"))
                .statusCode(200).body("ackId", equalTo(ackId));
        post(DAVE, "/proposals/" + id + "/acks", Map.of("kind", "ACKED_BY", "component", "windows-frontend"))
                .statusCode(422).body("errors.field", contains("component"));
        post(DAVE, "/proposals/" + id + "/acks", Map.of("kind", "LIKED_BY", "component", "linux-frontend"))
                .statusCode(422).body("errors.field", contains("kind"));

        given().header("Authorization", CAROL).when().delete("/proposals/" + id + "/acks/" + ackId).then().statusCode(409);
        given().header("Authorization", DAVE).when().delete("/proposals/" + id + "/acks/" + ackId).then().statusCode(204);
        given().header("Authorization", DAVE).when().delete("/proposals/" + id + "/acks/" + ackId).then().statusCode(404);
        String again = post(DAVE, "/proposals/" + id + "/acks", Map.of("kind", "ACKED_BY", "component", "linux-frontend"))
                .statusCode(201).extract().jsonPath().getString("ackId");
        assertThat(again).isNotEqualTo(ackId);
    }

    @Test
    void nothingButReadsOnAWithdrawnProposal() {
        String id = knownProposal();
        String oid = raise(id);
        String withdrawal = TopicProbe.publish(new ProposalWithdrawn(id, Stage.DESIGN, "superseded"), "alice");
        TopicProbe.publish(new ProposalWithdrawn(id, Stage.DESIGN, "superseded"), "alice", withdrawal);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", CAROL)
                .contentType("application/json").body(objection()).when().post("/proposals/" + id + "/objections")
                .statusCode() == 409);
        post(DAVE, "/proposals/" + id + "/acks", Map.of("kind", "ACKED_BY", "component", "linux-frontend"))
                .statusCode(409);
        given().header("Authorization", ALICE).when().get("/objections/" + oid).then().statusCode(200);
    }

    @Test
    void eachStepIsACloudEventOnTheReviewTopic() {
        String id = knownProposal();
        String oid = raise(id);
        post(ALICE, "/objections/" + oid + "/answers", Map.of("text", "Answered.")).statusCode(201);

        List<ConsumerRecord<String, String>> mine = TopicProbe.readUntil(Topics.REVIEW, Duration.ofSeconds(30),
                        records -> records.stream().filter(r -> id.equals(r.key())).count() >= 3)
                .stream().filter(r -> id.equals(r.key())).toList();
        assertThat(mine).extracting(r -> TopicProbe.header(r, "ce_type")).containsExactly(
                "pv.review.ack-given.v1", "pv.review.objection-raised.v1", "pv.review.objection-answered.v1");
        assertThat(mine).extracting(r -> TopicProbe.header(r, "ce_sequence")).containsExactly("1", "2", "3");
        assertThat(mine).extracting(r -> TopicProbe.header(r, "ce_source")).containsOnly("/review-service");
        assertThat(TopicProbe.header(mine.get(1), "ce_actor")).isEqualTo("carol");
        // A client that sends nothing new gets events as before: no source, not even a null one.
        assertThat(mine).allSatisfy(r -> assertThat(EventJson.tree(r.value()).has("source")).isFalse());
    }

    /** {@code body} with what the mail gateway adds: the person it acts for and the message. */
    static Map<String, Object> onBehalf(Map<String, Object> body, String actor, String messageId) {
        Map<String, Object> more = new HashMap<>(body);
        more.put("actor", actor);
        more.put("source", Map.of("kind", "MAIL", "messageId", messageId, "list", LIST));
        return more;
    }

    static String messageId() {
        return UUID.randomUUID() + "@example.org";
    }

    @Test
    void theMailGatewayActsForAListMemberAndTheEventNamesTheMessage() {
        String id = knownProposal();
        String nack = messageId();
        String oid = post(GATEWAY, "/proposals/" + id + "/objections", onBehalf(Map.of("category", "OTHER",
                "section", "general", "rationale", RATIONALE), "alice@example.org", nack))
                .statusCode(201).extract().jsonPath().getString("objectionId");
        given().header("Authorization", CAROL).when().get("/objections/" + oid).then().statusCode(200)
                .body("author", equalTo("alice@example.org")).body("category", equalTo("OTHER"))
                .body("thread[0].author", equalTo("alice@example.org"));
        String answer = messageId();
        post(GATEWAY, "/objections/" + oid + "/answers", onBehalf(Map.of("text", "Capped at 2^16."), "alice",
                "<" + answer + ">"))
                .statusCode(201).body("status", equalTo("ANSWERED"));
        String acked = messageId();
        post(GATEWAY, "/proposals/" + id + "/acks", onBehalf(Map.of("kind", "REVIEWED_BY", "component",
                "linux-frontend"), "bob", acked)).statusCode(201);

        List<ConsumerRecord<String, String>> mine = TopicProbe.readUntil(Topics.REVIEW, Duration.ofSeconds(30),
                        records -> records.stream().filter(r -> id.equals(r.key())).count() >= 4)
                .stream().filter(r -> id.equals(r.key())).toList();
        assertThat(mine).extracting(r -> TopicProbe.header(r, "ce_type")).containsExactly(
                "pv.review.ack-given.v1", "pv.review.objection-raised.v1", "pv.review.objection-answered.v1",
                "pv.review.ack-given.v1");
        assertThat(mine).extracting(r -> TopicProbe.header(r, "ce_actor")).containsExactly(
                "carol", "alice@example.org", "alice", "bob");
        assertThat(mine).extracting(r -> EventJson.tree(r.value()).path("source").path("messageId").asText(null))
                .containsExactly(null, nack, answer, acked);
        JsonNode raised = EventJson.tree(mine.get(1).value());
        assertThat(raised.path("source").path("kind").asText()).isEqualTo("MAIL");
        assertThat(raised.path("source").path("list").asText()).isEqualTo(LIST);
        assertThat(raised.path("category").asText()).isEqualTo("OTHER");
    }

    @Test
    void theMailGatewaySendingAMessagesActionAgainGetsWhatItDidTheFirstTime() {
        String id = knownProposal();
        String nack = messageId();
        Map<String, Object> raise = onBehalf(objection(), "carol", nack);
        String oid = post(GATEWAY, "/proposals/" + id + "/objections", raise).statusCode(201)
                .extract().jsonPath().getString("objectionId");
        post(GATEWAY, "/proposals/" + id + "/objections", raise).statusCode(200)
                .header("Location", endsWith("/objections/" + oid)).body("objectionId", equalTo(oid));
        Map<String, Object> withdrawal = onBehalf(Map.of("text", "I withdraw my NACK"), "carol", messageId());
        post(GATEWAY, "/objections/" + oid + "/withdrawal", withdrawal).statusCode(202).body("status", equalTo("WITHDRAWN"));
        post(GATEWAY, "/objections/" + oid + "/withdrawal", withdrawal).statusCode(200).body("status", equalTo("WITHDRAWN"))
                .body("thread.kind", contains("RAISED", "WITHDRAWN"));
        // Over REST the same objection twice is two objections, as before.
        post(CAROL, "/proposals/" + id + "/objections", objection()).statusCode(201);
        post(CAROL, "/proposals/" + id + "/objections", objection()).statusCode(201)
                .body("objectionId", equalTo(id + ".o3"));
    }

    @Test
    void theMailGatewayWithdrawsReaffirmsAndRetractsForTheAuthor() {
        String id = knownProposal();
        String oid = post(GATEWAY, "/proposals/" + id + "/objections", onBehalf(objection(), "carol", messageId()))
                .statusCode(201).extract().jsonPath().getString("objectionId");
        post(ALICE, "/objections/" + oid + "/answers", Map.of("text", "Answered.")).statusCode(201);
        post(GATEWAY, "/objections/" + oid + "/reaffirmations", onBehalf(Map.of("text", "Not in the spec."), "dave",
                messageId())).statusCode(409).body("type", endsWith("/not-allowed"));
        post(GATEWAY, "/objections/" + oid + "/reaffirmations", onBehalf(Map.of("text", "Not in the spec."), "carol",
                messageId())).statusCode(201).body("status", equalTo("REAFFIRMED"));
        post(GATEWAY, "/objections/" + oid + "/withdrawal", onBehalf(Map.of("text", "I withdraw my NACK"), "carol",
                messageId())).statusCode(202).body("status", equalTo("WITHDRAWN"));

        String ackId = post(GATEWAY, "/proposals/" + id + "/acks", onBehalf(Map.of("kind", "ACKED_BY",
                "component", "linux-frontend"), "bob", messageId())).statusCode(201).extract().jsonPath().getString("ackId");
        given().header("Authorization", GATEWAY).contentType("application/json")
                .body(onBehalf(Map.of(), "carol", messageId()))
                .when().delete("/proposals/" + id + "/acks/" + ackId).then().statusCode(409);
        given().header("Authorization", GATEWAY).when().delete("/proposals/" + id + "/acks/" + ackId).then()
                .statusCode(422).body("errors.field", contains("actor"));
        given().header("Authorization", GATEWAY).contentType("application/json")
                .body(onBehalf(Map.of(), "bob", messageId()))
                .when().delete("/proposals/" + id + "/acks/" + ackId).then().statusCode(204);
    }

    @Test
    void onlyTheMailGatewayNamesAPersonOrAMessageAndItMustNameBoth() {
        String id = knownProposal();
        String objections = "/proposals/" + id + "/objections";
        Map<String, Object> byCarolForAlice = new HashMap<>(objection());
        byCarolForAlice.put("actor", "alice");
        post(CAROL, objections, byCarolForAlice).statusCode(422).contentType("application/problem+json")
                .body("errors.field", contains("actor"))
                .body("detail", containsString("only the mail gateway may act on behalf of someone"));
        Map<String, Object> byCarolWithAMessage = onBehalf(objection(), "carol", messageId());
        byCarolWithAMessage.remove("actor");
        post(CAROL, objections, byCarolWithAMessage).statusCode(422).body("errors.field", contains("source"));
        post(DAVE, "/proposals/" + id + "/acks", Map.of("kind", "ACKED_BY", "component", "linux-frontend",
                "actor", "bob")).statusCode(422).body("errors.field", contains("actor"));
        String oid = raise(id);
        post(ALICE, "/objections/" + oid + "/answers", Map.of("text", "Answered.", "actor", "bob")).statusCode(422)
                .body("errors.field", contains("actor"));
        post(CAROL, "/objections/" + oid + "/withdrawal", Map.of("actor", "dave")).statusCode(422)
                .body("errors.field", contains("actor"));

        Map<String, Object> noSource = new HashMap<>(objection());
        noSource.put("actor", "alice@example.org");
        post(GATEWAY, objections, noSource).statusCode(422).body("errors.field", contains("source"));
        Map<String, Object> noActor = onBehalf(objection(), null, messageId());
        post(GATEWAY, objections, noActor).statusCode(422).body("errors.field", contains("actor"));
        post(GATEWAY, objections, onBehalf(objection(), "alice example", messageId())).statusCode(422)
                .body("errors.field", contains("actor"));
        post(GATEWAY, objections, onBehalf(objection(), "x".repeat(201), messageId())).statusCode(422)
                .body("errors.field", contains("actor"));
        post(GATEWAY, objections, onBehalf(objection(), "alice", " ")).statusCode(422)
                .body("errors.field", contains("source.messageId"));
        post(GATEWAY, objections, onBehalf(objection(), "alice", "< >")).statusCode(422)
                .body("errors.field", contains("source.messageId"));
        Map<String, Object> notMail = new HashMap<>(objection());
        notMail.put("actor", "alice");
        notMail.put("source", Map.of("kind", "CARRIER_PIGEON", "messageId", "m", "list", LIST));
        post(GATEWAY, objections, notMail).statusCode(422).body("errors.field", contains("source.kind"));
        post(GATEWAY, "/objections/" + oid + "/withdrawal", Map.of()).statusCode(422)
                .body("errors.field", contains("actor"));
        post(GATEWAY, "/objections/" + oid + "/overrule", onBehalf(Map.of("rationale", "no"), "xen-czar", messageId()))
                .statusCode(403);
        given().header("Authorization", ALICE).when().get("/objections/" + oid).then().body("status", equalTo("OPEN"));
    }

    @Test
    void otherIsACategory() {
        String id = knownProposal();
        post(CAROL, "/proposals/" + id + "/objections", Map.of("category", "OTHER", "section", "general",
                "rationale", RATIONALE)).statusCode(201).body("late", equalTo(false));
    }
}
