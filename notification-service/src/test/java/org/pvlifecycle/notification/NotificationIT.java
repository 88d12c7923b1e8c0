package org.pvlifecycle.notification;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.ServiceConventions;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class NotificationIT {
    static final String ALICE = TestTokens.mint("alice", "contributor");
    static final String BOB = TestTokens.mint("bob", "reviewer");
    static final String OPS = TestTokens.mint("ops", "operator");

    final List<HttpServer> servers = new ArrayList<>();

    /** A webhook receiver on loopback: checks signatures itself, answers with the next status. */
    record Receiver(String url, List<Map<String, String>> received, List<Boolean> signaturesValid) {
    }

    Receiver receiver(String secret, int... statuses) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        List<Boolean> valid = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String ts = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String sig = exchange.getRequestHeaders().getFirst("webhook-signature");
            received.add(Map.of("id", id, "ts", ts, "body", body));
            valid.add(sig != null && sig.equals("v1," + hmac(secret, id + "." + ts + "." + body)));
            int n = calls.getAndIncrement();
            int status = n < statuses.length ? statuses[n] : statuses[statuses.length - 1];
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return new Receiver("http://127.0.0.1:" + server.getAddress().getPort() + "/hook", received, valid);
    }

    /** Standard Webhooks, written from the spec here rather than taken from the service. */
    static String hmac(String secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stopReceivers() {
        servers.forEach(s -> s.stop(0));
    }

    static JsonPath subscribe(String token, Map<String, Object> body) {
        return given().header("Authorization", token).contentType("application/json").body(body)
                .when().post("/subscriptions").then().log().ifValidationFails().statusCode(201).extract().jsonPath();
    }

    static String newProposal() {
        return "pv-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<Map<String, Object>> deliveries(String token, String subscription) {
        return given().header("Authorization", token).when().get("/deliveries?subscription=" + subscription)
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    @Test
    void isOperableAndChecksTokens() {
        ServiceConventions.assertOperable("pv-lifecycle notification-service");
        ServiceConventions.assertNeedsValidToken("/subscriptions");
    }

    @Test
    void subscriptionsAreValidatedAndOwned() {
        Map<String, Object> base = Map.of("channel", "WEBHOOK", "target", "http://127.0.0.1:9/hook",
                "types", List.of("pv.review.objection-raised.v1"));
        String sid = subscribe(ALICE, base).getString("id");
        assertThat(subscribe(ALICE, base).getString("secret")).startsWith("whsec_");

        given().header("Authorization", ALICE).contentType("application/json")
                .body(Map.of("channel", "WEBHOOK", "target", "http://169.254.169.254/latest/meta-data", "types", List.of("*")))
                .when().post("/subscriptions").then().statusCode(422).body("errors.field", contains("target"));
        given().header("Authorization", ALICE).contentType("application/json")
                .body(Map.of("channel", "WEBHOOK", "target", "ftp://example.org/x", "types", List.of("*")))
                .when().post("/subscriptions").then().statusCode(422).body("errors.field", contains("target"));
        given().header("Authorization", ALICE).contentType("application/json")
                .body(Map.of("channel", "WEBHOOK", "target", "http://127.0.0.1:9/hook", "types", List.of("pv.nope.v1")))
                .when().post("/subscriptions").then().statusCode(422).body("errors.field", contains("types"));
        given().header("Authorization", ALICE).contentType("application/json")
                .body(Map.of("channel", "PIGEON", "target", "x", "types", List.of("*")))
                .when().post("/subscriptions").then().statusCode(422).body("errors.field", contains("channel"));
        given().header("Authorization", ALICE).contentType("application/json")
                .body(Map.of("channel", "WEBHOOK", "target", "http://127.0.0.1:9/hook", "types", List.of("*"),
                        "secret", "plain"))
                .when().post("/subscriptions").then().statusCode(422).body("errors.field", contains("secret"));

        assertThat(given().header("Authorization", BOB).when().get("/subscriptions").then().statusCode(200)
                .extract().jsonPath().getList("id")).doesNotContain(sid);
        given().header("Authorization", BOB).when().delete("/subscriptions/" + sid).then().statusCode(404);
        given().header("Authorization", ALICE).when().delete("/subscriptions/" + sid).then().statusCode(204);
        given().header("Authorization", ALICE).when().delete("/subscriptions/" + sid).then().statusCode(404);
        given().header("Authorization", ALICE).when().get("/deliveries?size=500").then().statusCode(400);
    }

    @Test
    void aWebhookIsSignedRetriedAndDeliveredOnceAndARedeliveredEventMakesNoSecondNotice() throws Exception {
        String secret = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));
        Receiver receiver = receiver(secret, 500, 500, 200);
        String proposal = newProposal();
        String sid = subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", receiver.url(),
                "types", List.of("pv.proposal.submitted.v1"), "proposal", proposal, "secret", secret)).getString("id");

        String eventId = UUID.randomUUID().toString();
        ProposalSubmitted submitted = new ProposalSubmitted(proposal, "T", "S", "alice", List.of("linux-frontend"), 1,
                "# ABI", List.of(), List.of());
        TopicProbe.publish(submitted, "alice", eventId);
        TopicProbe.publish(submitted, "alice", eventId);

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ALICE, sid).stream()
                .anyMatch(d -> "DELIVERED".equals(d.get("status"))));
        List<Map<String, Object>> log = deliveries(ALICE, sid);
        assertThat(log).hasSize(1);
        assertThat(log.get(0)).containsEntry("attempts", 3).containsEntry("eventId", eventId);
        assertThat((List<?>) log.get(0).get("attemptLog")).hasSize(3);
        assertThat(receiver.received()).hasSize(3);
        assertThat(receiver.received()).extracting(m -> m.get("id")).containsOnly((String) log.get(0).get("id"));
        assertThat(receiver.signaturesValid()).containsOnly(true);
        assertThat(receiver.received().get(0).get("body")).contains("\"type\":\"pv.proposal.submitted.v1\"")
                .contains(eventId);
        // Someone else's log does not show it; an operator's does.
        assertThat(deliveries(BOB, sid)).isEmpty();
        assertThat(deliveries(OPS, sid)).hasSize(1);
    }

    @Test
    void aReceiverThatNeverAcceptsKillsItsDeliveryWithoutDelayingTheOthers() throws Exception {
        String secret = "whsec_" + Base64.getEncoder().encodeToString("fedcba9876543210fedc".getBytes(StandardCharsets.UTF_8));
        Receiver dead = receiver(secret, 503);
        Receiver alive = receiver(secret, 200);
        String proposal = newProposal();
        Map<String, Object> types = Map.of("types", List.of("pv.review.objection-raised.v1"), "proposal", proposal);
        JsonPath deadSub = subscribe(ALICE, merge(types, Map.of("channel", "WEBHOOK", "target", dead.url(), "secret", secret)));
        JsonPath aliveSub = subscribe(BOB, merge(types, Map.of("channel", "WEBHOOK", "target", alive.url(), "secret", secret)));

        TopicProbe.publish(new ObjectionRaised(proposal, proposal + ".o1", Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                "The request id is 32 bits wide but the ring is larger.", false), "carol");

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(BOB, aliveSub.getString("id")).stream()
                .anyMatch(d -> "DELIVERED".equals(d.get("status"))));
        assertThat(deliveries(BOB, aliveSub.getString("id")).get(0)).containsEntry("attempts", 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ALICE, deadSub.getString("id")).stream()
                .anyMatch(d -> "DEAD".equals(d.get("status"))));
        assertThat(deliveries(ALICE, deadSub.getString("id")).get(0)).containsEntry("attempts", 3)
                .containsEntry("lastStatus", 503);
        var failed = TopicProbe.readUntil(Topics.NOTIFICATION, Duration.ofSeconds(30),
                records -> records.stream().anyMatch(r -> proposal.equals(r.key())));
        assertThat(failed).filteredOn(r -> proposal.equals(r.key())).singleElement().satisfies(r -> {
            assertThat(TopicProbe.header(r, "ce_type")).isEqualTo("pv.notification.delivery-failed.v1");
            assertThat(r.value()).contains(deadSub.getString("id")).contains("\"attempts\":3");
        });
    }

    static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }
}
