package org.pvlifecycle.notification;

import org.pvlifecycle.eventstore.SessionSql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.OnVertx;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.ServiceConventions;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.pvlifecycle.notification.Notifications.ALICE;
import static org.pvlifecycle.notification.Notifications.BOB;
import static org.pvlifecycle.notification.Notifications.OPS;
import static org.pvlifecycle.notification.Notifications.deliveries;
import static org.pvlifecycle.notification.Notifications.merge;
import static org.pvlifecycle.notification.Notifications.newProposal;
import static org.pvlifecycle.notification.Notifications.subscribe;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@QuarkusTestResource(SmtpTestResource.class)
class NotificationIT {

    @Test
    void isOperableAndChecksTokens() {
        ServiceConventions.assertOperable("pv-lifecycle notification-service");
        ServiceConventions.assertNeedsValidToken("/subscriptions");
        ServiceConventions.assertNeedsValidToken("/deliveries");
    }

    @Test
    void subscriptionsAreValidatedAndOwned() {
        Map<String, Object> base = Map.of("channel", "WEBHOOK", "target", "http://127.0.0.1:9/hook",
                "types", List.of("pv.review.objection-raised.v1"));
        String sid = subscribe(ALICE, base).getString("id");
        assertThat(subscribe(ALICE, base).getString("secret")).startsWith("whsec_");
        JsonPath email = subscribe(ALICE, Map.of("channel", "EMAIL", "target", "alice@example.org",
                "types", List.of("notices", "pv.proposal.submitted.v1")));
        assertThat(email.getString("secret")).isNull();
        assertThat(email.getBoolean("czar")).isFalse();
        assertThat(subscribe(TestTokens.mint("zed", "czar"), Map.of("channel", "EMAIL", "target", "czar@example.org",
                "types", List.of("notices"))).getBoolean("czar")).isTrue();

        refused(ALICE, Map.of("channel", "WEBHOOK", "target", "http://169.254.169.254/latest/meta-data",
                "types", List.of("*")), "target");
        refused(ALICE, Map.of("channel", "WEBHOOK", "target", "ftp://example.org/x", "types", List.of("*")), "target");
        refused(ALICE, Map.of("channel", "EMAIL", "target", "not an address", "types", List.of("*")), "target");
        refused(ALICE, Map.of("channel", "EMAIL", "target", "a@example.org", "types", List.of("*"),
                "secret", WebhookReceiver.secret("x")), "secret");
        refused(ALICE, Map.of("channel", "WEBHOOK", "target", "http://127.0.0.1:9/hook", "types", List.of("pv.nope.v1")),
                "types");
        refused(ALICE, Map.of("channel", "PIGEON", "target", "x", "types", List.of("*")), "channel");
        refused(ALICE, Map.of("channel", "WEBHOOK", "target", "http://127.0.0.1:9/hook", "types", List.of("*"),
                "secret", "plain"), "secret");
        given().header("Authorization", ALICE).contentType("application/json").body("{\"channel\": 3")
                .when().post("/subscriptions").then().statusCode(400).contentType("application/problem+json");

        assertThat(given().header("Authorization", BOB).when().get("/subscriptions").then().statusCode(200)
                .extract().jsonPath().getList("id")).doesNotContain(sid);
        given().header("Authorization", ALICE).when().get("/subscriptions").then().statusCode(200)
                .body("find { it.id == '" + sid + "' }.secret", nullValue());
        given().header("Authorization", BOB).when().delete("/subscriptions/" + sid).then().statusCode(404);
        given().header("Authorization", ALICE).when().delete("/subscriptions/" + sid).then().statusCode(204);
        given().header("Authorization", ALICE).when().delete("/subscriptions/" + sid).then().statusCode(404);
        given().header("Authorization", ALICE).when().get("/deliveries?size=500").then().statusCode(400)
                .body("errors.field", contains("size"));
        given().header("Authorization", ALICE).when().get("/deliveries?status=LOST").then().statusCode(400)
                .body("errors.field", contains("status"));
    }

    static void refused(String token, Map<String, Object> body, String field) {
        given().header("Authorization", token).contentType("application/json").body(body)
                .when().post("/subscriptions").then().log().ifValidationFails().statusCode(422)
                .contentType("application/problem+json").body("errors.field", contains(field));
    }

    @Test
    void aWebhookIsSignedRetriedWithGrowingDelaysAndDeliveredOnceAndARedeliveredEventMakesNoSecondNotice()
            throws Exception {
        String secret = WebhookReceiver.secret("retried");
        try (WebhookReceiver receiver = WebhookReceiver.answering(secret, 500, 500, 200)) {
            String proposal = newProposal();
            String sid = subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", receiver.url(),
                    "types", List.of("pv.proposal.submitted.v1"), "proposal", proposal, "secret", secret)).getString("id");

            String eventId = UUID.randomUUID().toString();
            ProposalSubmitted submitted = new ProposalSubmitted(proposal, "T", "S", "alice", List.of("linux-frontend"),
                    1, "# ABI", List.of(), List.of());
            TopicProbe.publish(submitted, "alice", eventId);
            TopicProbe.publish(submitted, "alice", eventId);

            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ALICE, sid).stream()
                    .anyMatch(d -> "DELIVERED".equals(d.get("status"))));
            List<Map<String, Object>> log = deliveries(ALICE, sid);
            assertThat(log).hasSize(1);
            assertThat(log.get(0)).containsEntry("attempts", 3).containsEntry("eventId", eventId);
            List<Map<String, Object>> attempts = (List<Map<String, Object>>) log.get(0).get("attemptLog");
            assertThat(attempts).extracting(a -> a.get("statusCode")).containsExactly(500, 500, 200);
            // Each failed attempt planned the next, counting from its end: backoff base PT0.2S in tests,
            // so the first delay is drawn from [100, 200] ms and the second from [200, 400] ms (give or
            // take the database's microseconds); the retries kept to the plan.
            Duration firstDelay = plannedDelay(attempts.get(0));
            Duration secondDelay = plannedDelay(attempts.get(1));
            assertThat(firstDelay).isBetween(Duration.ofMillis(99), Duration.ofMillis(201));
            assertThat(secondDelay).isBetween(Duration.ofMillis(199), Duration.ofMillis(401))
                    .isGreaterThanOrEqualTo(firstDelay);
            for (int i = 0; i < 2; i++) {
                assertThat(Instant.parse((String) attempts.get(i + 1).get("at")))
                        .isAfterOrEqualTo(Instant.parse((String) attempts.get(i).get("nextAttemptAt")));
            }
            assertThat(attempts.get(2).get("nextAttemptAt")).isNull();

            assertThat(receiver.received).hasSize(3);
            assertThat(receiver.received).extracting(WebhookReceiver.Received::id).containsOnly((String) log.get(0).get("id"));
            assertThat(receiver.received).extracting(WebhookReceiver.Received::signatureValid).containsOnly(true);
            assertThat(receiver.received.get(0).body()).contains("\"type\":\"pv.proposal.submitted.v1\"").contains(eventId);
            // Someone else's log does not show it; an operator's does.
            assertThat(deliveries(BOB, sid)).isEmpty();
            assertThat(deliveries(OPS, sid)).hasSize(1);
        }
    }

    /** From the end of the attempt (its start plus its latency) to the next one it planned. */
    static Duration plannedDelay(Map<String, Object> attempt) {
        return Duration.between(Instant.parse((String) attempt.get("at"))
                        .plusMillis(((Number) attempt.get("latencyMs")).longValue()),
                Instant.parse((String) attempt.get("nextAttemptAt")));
    }

    @Test
    void anOperatorReplaysWhoIsConcernedAndNobodyIsNotifiedTwice() throws Exception {
        String secret = WebhookReceiver.secret("replay");
        try (WebhookReceiver receiver = WebhookReceiver.answering(secret, 200)) {
            String proposal = newProposal();
            String sid = subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", receiver.url(),
                    "types", List.of("notices"), "proposal", proposal, "secret", secret)).getString("id");
            TopicProbe.publish(new ProposalSubmitted(proposal, "T", "S", "alice", List.of("linux-frontend"), 1,
                    "# ABI", List.of(), List.of()), "alice");
            TopicProbe.publish(new ObjectionRaised(proposal, proposal + ".o1", Stage.DESIGN, ObjectionCategory.ABI,
                    "ABI", "The ring size is not negotiated.", false), "bob");
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received.size() == 1);

            // The read model is lost: without it the service no longer knows whose proposal this is.
            OnVertx.await(() -> SessionSql.update("delete from proposal_facts where proposal_id = $1", proposal));

            given().when().post("/admin/replay").then().statusCode(401);
            given().header("Authorization", ALICE).when().post("/admin/replay").then().statusCode(403)
                    .contentType("application/problem+json");
            given().header("Authorization", OPS).when().post("/admin/replay").then().statusCode(202)
                    .body("state", equalTo("RUNNING"));
            await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(given().header("Authorization", OPS)
                    .when().get("/admin/replay").then().statusCode(200).extract().path("state")));
            assertThat(given().header("Authorization", OPS).when().get("/admin/replay").then().extract()
                    .<Integer>path("eventsRead")).isPositive();

            TopicProbe.publish(new ObjectionRaised(proposal, proposal + ".o2", Stage.DESIGN, ObjectionCategory.ABI,
                    "ABI", "The event channel is never unbound.", false), "bob");
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received.size() == 2);
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            assertThat(receiver.received).hasSize(2);
            assertThat(receiver.received.get(1).body()).contains(proposal + ".o2").contains("OBJECTION_RAISED");
            assertThat(deliveries(ALICE, sid)).hasSize(2);
        }
    }

    @Test
    void aReceiverThatNeverAcceptsKillsItsDeliveryWithoutDelayingTheOthers() throws Exception {
        String secret = WebhookReceiver.secret("dead");
        // The dead receiver keeps each request past the service's timeout (PT3S in tests), then answers 503.
        try (WebhookReceiver dead = WebhookReceiver.start(0, secret, Duration.ofSeconds(4), 503);
             WebhookReceiver alive = WebhookReceiver.answering(secret, 200)) {
            String proposal = newProposal();
            Map<String, Object> types = Map.of("types", List.of("pv.review.objection-raised.v1"), "proposal", proposal);
            JsonPath deadSub = subscribe(ALICE, merge(types, Map.of("channel", "WEBHOOK", "target", dead.url(),
                    "secret", secret)));
            JsonPath aliveSub = subscribe(BOB, merge(types, Map.of("channel", "WEBHOOK", "target", alive.url(),
                    "secret", secret)));

            TopicProbe.publish(new ObjectionRaised(proposal, proposal + ".o1", Stage.DESIGN, ObjectionCategory.ABI,
                    "ABI", "The request id is 32 bits wide but the ring is larger.", false), "carol");
            TopicProbe.publish(new ObjectionRaised(proposal, proposal + ".o2", Stage.DESIGN, ObjectionCategory.ABI,
                    "ABI", "The event channel is never unbound.", false), "carol");

            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(BOB, aliveSub.getString("id")).stream()
                    .filter(d -> "DELIVERED".equals(d.get("status"))).count() == 2);
            assertThat(deliveries(BOB, aliveSub.getString("id"))).allSatisfy(d -> assertThat(d)
                    .containsEntry("attempts", 1));

            await().atMost(Duration.ofSeconds(45)).until(() -> deliveries(ALICE, deadSub.getString("id")).stream()
                    .filter(d -> "DEAD".equals(d.get("status"))).count() == 2);
            List<Map<String, Object>> deadLog = deliveries(ALICE, deadSub.getString("id"));
            assertThat(deadLog).allSatisfy(d -> {
                assertThat(d).containsEntry("attempts", 3);
                assertThat((String) d.get("lastError")).contains("Timeout");
            });
            // The live receiver had both while the dead one still held its first attempts (PT3S timeout).
            Instant firstDeadAttempt = deadLog.stream()
                    .map(d -> Instant.parse((String) ((List<Map<String, Object>>) d.get("attemptLog")).get(0).get("at")))
                    .min(Instant::compareTo).orElseThrow();
            assertThat(deliveries(BOB, aliveSub.getString("id"))).allSatisfy(d -> assertThat(
                    Instant.parse((String) d.get("finishedAt"))).isBefore(firstDeadAttempt.plusSeconds(3)));
            var failed = TopicProbe.readUntil(Topics.NOTIFICATION, Duration.ofSeconds(30),
                    records -> records.stream().filter(r -> proposal.equals(r.key())).count() == 2);
            assertThat(failed).filteredOn(r -> proposal.equals(r.key())).hasSize(2).allSatisfy(r -> {
                assertThat(TopicProbe.header(r, "ce_type")).isEqualTo("pv.notification.delivery-failed.v1");
                assertThat(r.value()).contains(deadSub.getString("id")).contains("\"attempts\":3");
            });
        }
    }

    @Test
    void aFailureIsNewsOnlyToWhoAsksForItAndNeverAnnouncesItselfAgain() throws Exception {
        String secret = WebhookReceiver.secret("loop");
        String failed = "pv.notification.delivery-failed.v1";
        try (WebhookReceiver dead = WebhookReceiver.answering(secret, 503);
             WebhookReceiver watcher = WebhookReceiver.answering(secret, 503);
             WebhookReceiver everything = WebhookReceiver.answering(secret, 200)) {
            String proposal = newProposal();
            // Alice's hook is away, and asks for failures too; Bob takes every event of the proposal;
            // the operator watches failures on a hook that is away as well.
            JsonPath deadSub = subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", dead.url() + "?token=s3cr3t",
                    "secret", secret, "proposal", proposal, "types", List.of("pv.review.objection-raised.v1", failed)));
            subscribe(BOB, Map.of("channel", "WEBHOOK", "target", everything.url(), "secret", secret,
                    "proposal", proposal, "types", List.of("*")));
            JsonPath watcherSub = subscribe(OPS, Map.of("channel", "WEBHOOK", "target", watcher.url(), "secret", secret,
                    "proposal", proposal, "types", List.of(failed)));

            TopicProbe.publish(new ObjectionRaised(proposal, proposal + ".o1", Stage.DESIGN, ObjectionCategory.ABI,
                    "ABI", "The request id is 32 bits wide but the ring is larger.", false), "carol");

            // The watcher's delivery of the failure dies as well...
            await().atMost(Duration.ofSeconds(45)).until(() -> deliveries(OPS, watcherSub.getString("id")).stream()
                    .anyMatch(d -> "DEAD".equals(d.get("status"))));
            await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
            // ...and announces nothing: one failure on the topic, about Alice's hook, its target shown in part.
            // (Other tests' subscriptions without a proposal, their receivers closed, fail on this proposal too.)
            var events = TopicProbe.readUntil(Topics.NOTIFICATION, Duration.ofSeconds(5), records -> false).stream()
                    .filter(r -> proposal.equals(r.key()))
                    .filter(r -> r.value().contains(deadSub.getString("id")) || r.value().contains(watcherSub.getString("id")))
                    .toList();
            assertThat(events).as("%s", events.stream().map(r -> r.value()).toList()).hasSize(1).allSatisfy(r -> {
                assertThat(TopicProbe.header(r, "ce_type")).isEqualTo(failed);
                assertThat(r.value()).contains(deadSub.getString("id"))
                        .contains("\"target\":\"http://127.0.0.1:" + URI.create(dead.url()).getPort() + "/…\"")
                        .doesNotContain("s3cr3t");
            });
            // Alice's own hook is not told of its own failure, nor is Bob's, which took everything else.
            String aboutAlice = TopicProbe.header(events.get(0), "ce_id");
            assertThat(deliveries(ALICE, deadSub.getString("id"))).noneMatch(d -> aboutAlice.equals(d.get("eventId")));
            assertThat(everything.received).hasSize(1).allSatisfy(r -> assertThat(r.body()).doesNotContain(failed));
        }
    }

    @Test
    void aHostThatDoesNotResolveWhenSendingIsRetriedNotKilled() {
        String proposal = newProposal();
        // Its host resolved when it was made; the resolver cannot find it now (.invalid never resolves).
        String sid = UUID.randomUUID().toString();
        OnVertx.await(() -> SessionSql.update("""
                        insert into subscriptions (id, owner, channel, target, types, proposal, secret, czar, created_at)
                        values ($1, 'alice', 'WEBHOOK', 'http://hooks.pv-lifecycle.invalid/hook',
                                'pv.review.objection-raised.v1', $2, $3, false, $4)""",
                sid, proposal, WebhookReceiver.secret("dns"), java.time.OffsetDateTime.now()));

        TopicProbe.publish(new ObjectionRaised(proposal, proposal + ".o1", Stage.DESIGN, ObjectionCategory.ABI,
                "ABI", "The request id is 32 bits wide but the ring is larger.", false), "carol");

        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(ALICE, sid).stream()
                .anyMatch(d -> "DEAD".equals(d.get("status"))));
        assertThat(deliveries(ALICE, sid)).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("attempts", 3);
            assertThat((String) d.get("lastError")).doesNotContain("Refused");
        });
    }
}
