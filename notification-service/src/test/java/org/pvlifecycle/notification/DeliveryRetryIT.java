package org.pvlifecycle.notification;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.testkit.OnVertx;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.pvlifecycle.notification.Notifications.ALICE;
import static org.pvlifecycle.notification.Notifications.BOB;
import static org.pvlifecycle.notification.Notifications.OPS;
import static org.pvlifecycle.notification.Notifications.deliveries;
import static org.pvlifecycle.notification.Notifications.newProposal;
import static org.pvlifecycle.notification.Notifications.subscribe;

/**
 * A dead delivery retried by hand ({@code POST /deliveries/{id}/retry}): by its owner or an
 * operator, once, with a new series of attempts that the log shows after the earlier ones, and a
 * {@code delivery-failed} again should it die again. Attempts in tests: 3, from PT0.2S.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@QuarkusTestResource(SmtpTestResource.class)
class DeliveryRetryIT {
    private static final String FAILED = "pv.notification.delivery-failed.v1";

    @Test
    void aDeadWebhookRetriedByItsOwnerOnceTheReceiverIsBackIsDeliveredSignedWithItsEarlierAttemptsKept()
            throws Exception {
        String secret = WebhookReceiver.secret("retry");
        // Away for the three attempts of the delivery's first series, back from the fourth request.
        try (WebhookReceiver receiver = WebhookReceiver.answering(secret, 500, 500, 500, 200)) {
            String proposal = newProposal();
            String sid = subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", receiver.url(),
                    "types", List.of("pv.proposal.submitted.v1"), "proposal", proposal, "secret", secret)).getString("id");
            TopicProbe.publish(new ProposalSubmitted(proposal, "T", "S", "alice", List.of("linux-frontend"), 1,
                    "# ABI", List.of(), List.of()), "alice");
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ALICE, sid).stream()
                    .anyMatch(d -> "DEAD".equals(d.get("status"))));
            String id = (String) deliveries(ALICE, sid).get(0).get("id");
            assertThat(receiver.received).hasSize(3);

            given().when().post("/deliveries/" + id + "/retry").then().statusCode(401)
                    .contentType("application/problem+json");
            // Someone else's delivery is not found, as their subscriptions are not.
            retry(BOB, id).statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
            retry(ALICE, "no-such-delivery").statusCode(404).contentType("application/problem+json");
            assertThat(deliveries(ALICE, sid)).singleElement().satisfies(d -> assertThat(d)
                    .containsEntry("status", "DEAD").containsEntry("attempts", 3));
            // Never retried by hand (the refused asks above were not retries): an empty list, not a missing one.
            assertThat(retriesOf(deliveries(ALICE, sid).get(0))).isEmpty();

            Instant retried = Instant.now();
            Map<String, Object> answer = retry(ALICE, id).statusCode(202).contentType("application/json")
                    .extract().jsonPath().getMap("$");
            assertThat(answer).containsEntry("id", id).containsEntry("subscriptionId", sid);
            assertThat((List<?>) answer.get("attemptLog")).hasSizeGreaterThanOrEqualTo(3);
            // The answer already shows who put it back, when, and after which attempt.
            assertRetried(answer, retried, "alice", 3);

            await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(deliveries(ALICE, sid).get(0)
                    .get("status")));
            Map<String, Object> delivered = deliveries(ALICE, sid).get(0);
            assertThat(delivered).containsEntry("attempts", 4).containsEntry("lastStatus", 200);
            assertRetried(delivered, retried, "alice", 3);
            assertThat(delivered.get("lastError")).isNull();
            List<Map<String, Object>> attempts = (List<Map<String, Object>>) delivered.get("attemptLog");
            assertThat(attempts).extracting(a -> a.get("attempt")).containsExactly(1, 2, 3, 4);
            assertThat(attempts).extracting(a -> a.get("statusCode")).containsExactly(500, 500, 500, 200);
            // The first series ended with its third attempt (nothing planned after it); the new one went at once.
            assertThat(attempts.get(2).get("nextAttemptAt")).isNull();
            assertThat(Instant.parse((String) attempts.get(3).get("at"))).isAfterOrEqualTo(retried.minusSeconds(1))
                    .isBefore(retried.plusSeconds(5));

            assertThat(receiver.received).hasSize(4);
            WebhookReceiver.Received resent = receiver.received.get(3);
            assertThat(resent.signatureValid()).isTrue();
            assertThat(resent.id()).isEqualTo(id);
            assertThat(Long.parseLong(resent.timestamp())).isBetween(retried.getEpochSecond() - 1,
                    Instant.now().getEpochSecond());
            assertThat(resent.body()).isEqualTo(receiver.received.get(0).body());

            // Delivered, it needs nothing more.
            retry(ALICE, id).statusCode(409).contentType("application/problem+json")
                    .body("type", endsWith("/delivery-not-dead")).body("status", equalTo(409))
                    .body("title", equalTo("Conflict with the current state"))
                    .body("detail", containsString("DELIVERED"));
            await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            assertThat(receiver.received).hasSize(4);
            // A refused retry is no retry: nothing more recorded.
            assertRetried(deliveries(ALICE, sid).get(0), retried, "alice", 3);
        }
    }

    @Test
    void anOperatorRetriesAnyonesOnceEvenWhenAskedAtOnceAndASecondDeathIsNewsAgainButNotAFailureOfTheNews()
            throws Exception {
        String secret = WebhookReceiver.secret("again");
        try (WebhookReceiver dead = WebhookReceiver.answering(secret, 503);
             WebhookReceiver watcher = WebhookReceiver.answering(secret, 503)) {
            String proposal = newProposal();
            String bobs = subscribe(BOB, Map.of("channel", "WEBHOOK", "target", dead.url(), "secret", secret,
                    "proposal", proposal, "types", List.of("pv.review.objection-raised.v1"))).getString("id");
            // The operator watches failures on a hook that is away as well.
            String watching = subscribe(OPS, Map.of("channel", "WEBHOOK", "target", watcher.url(), "secret", secret,
                    "proposal", proposal, "types", List.of(FAILED))).getString("id");

            TopicProbe.publish(new ObjectionRaised(proposal, proposal + ".o1", Stage.DESIGN, ObjectionCategory.ABI,
                    "ABI", "The request id is 32 bits wide but the ring is larger.", false), "carol");
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(BOB, bobs).stream()
                    .anyMatch(d -> "DEAD".equals(d.get("status"))));
            String id = (String) deliveries(BOB, bobs).get(0).get("id");
            assertThat(dead.received).hasSize(3);
            // (Other tests' subscriptions without a proposal fail on this proposal too: the watcher hears of
            // those as well, so its deliveries are told apart by the failure they carry.)
            String first = TopicProbe.header(failuresOf(proposal, bobs, 1).get(0), "ce_id");
            String newsOfIt = deadDeliveryOf(watching, first);

            // Asked eight times at once, it is put back once: one more series of three, not eight.
            Instant retried = Instant.now();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Integer> statuses = new ArrayList<>();
            try {
                List<Callable<Integer>> asks = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    asks.add(() -> retry(OPS, id).extract().statusCode());
                }
                for (Future<Integer> status : pool.invokeAll(asks)) {
                    statuses.add(status.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(statuses).containsOnly(202, 409).filteredOn(s -> s == 202).hasSize(1);
            // Only the one that put it back is recorded, and by the operator, not by bob whose delivery it is.
            assertRetried(deliveries(BOB, bobs).get(0), retried, "ops", 3);

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<String, Object> d = deliveries(BOB, bobs).get(0);
                return "DEAD".equals(d.get("status")) && Integer.valueOf(6).equals(d.get("attempts"));
            });
            assertThat((List<Map<String, Object>>) deliveries(BOB, bobs).get(0).get("attemptLog"))
                    .extracting(a -> a.get("attempt")).containsExactly(1, 2, 3, 4, 5, 6);
            // Dying again adds attempts, not retries.
            assertRetried(deliveries(BOB, bobs).get(0), retried, "ops", 3);
            assertThat(dead.received).hasSize(6);
            // Its second death is news again, to the same watcher (whose hook lets it die too).
            List<ConsumerRecord<String, String>> failures = failuresOf(proposal, bobs, 2);
            assertThat(failures).hasSize(2).allSatisfy(r -> assertThat(TopicProbe.header(r, "ce_type")).isEqualTo(FAILED));
            assertThat(failures.get(0).value()).contains("\"attempts\":3");
            assertThat(failures.get(1).value()).contains("\"attempts\":6");
            deadDeliveryOf(watching, TopicProbe.header(failures.get(1), "ce_id"));

            // The news of a failure that could not be delivered, retried, dies again and says nothing either.
            retry(OPS, newsOfIt).statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(OPS, watching).stream()
                    .anyMatch(d -> newsOfIt.equals(d.get("id")) && "DEAD".equals(d.get("status"))
                            && Integer.valueOf(6).equals(d.get("attempts"))));
            await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
            List<ConsumerRecord<String, String>> aboutTheWatcher = TopicProbe.readUntil(Topics.NOTIFICATION,
                            Duration.ofSeconds(5), records -> false).stream()
                    .filter(r -> proposal.equals(r.key()) && r.value().contains(watching))
                    .toList();
            assertThat(aboutTheWatcher).isEmpty();
            assertThat(failuresOf(proposal, bobs, 2)).hasSize(2);
        }
    }

    /** The delivery-failed events about the subscription on the topic, once there are {@code count}. */
    static List<ConsumerRecord<String, String>> failuresOf(String proposal, String subscription, int count) {
        return TopicProbe.readUntil(Topics.NOTIFICATION, Duration.ofSeconds(30),
                        records -> records.stream().filter(r -> proposal.equals(r.key())
                                && r.value().contains(subscription)).count() >= count).stream()
                .filter(r -> proposal.equals(r.key()) && r.value().contains(subscription))
                .toList();
    }

    /** The id of the subscription's delivery of the event, once it is dead. */
    static String deadDeliveryOf(String subscription, String eventId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(OPS, subscription).stream()
                .anyMatch(d -> eventId.equals(d.get("eventId")) && "DEAD".equals(d.get("status"))));
        return (String) deliveries(OPS, subscription).stream().filter(d -> eventId.equals(d.get("eventId")))
                .findFirst().orElseThrow().get("id");
    }

    @Test
    void onlyADeadDeliveryIsRetried() {
        String proposal = newProposal();
        String sid = subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", "http://127.0.0.1:9/hook",
                "types", List.of("pv.review.objection-raised.v1"), "proposal", proposal)).getString("id");
        // One waiting for its time (a reminder due tomorrow), one cancelled (a reminder that no longer applies).
        String pending = delivery(sid, proposal, "PENDING", OffsetDateTime.now().plusDays(1), null);
        String cancelled = delivery(sid, proposal, "CANCELLED", null, OffsetDateTime.now());

        retry(ALICE, pending).statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/delivery-not-dead")).body("detail", containsString("PENDING"));
        retry(OPS, cancelled).statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/delivery-not-dead")).body("detail", containsString("CANCELLED"));
        assertThat(deliveries(ALICE, sid)).extracting(d -> d.get("status"))
                .containsExactlyInAnyOrder("PENDING", "CANCELLED");
        // Refused, they were not retried: nothing recorded.
        assertThat(deliveries(ALICE, sid)).allSatisfy(d -> assertThat(retriesOf(d)).isEmpty());
    }

    @Test
    void everyRetryByHandIsKeptInOrderWithWhoWhenAndAfterWhichAttempt() {
        String proposal = newProposal();
        // Nothing listens on port 9: each series of three attempts dies quickly.
        String sid = subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", "http://127.0.0.1:9/hook",
                "types", List.of("pv.review.objection-raised.v1"), "proposal", proposal)).getString("id");
        // Dead after a first series of three attempts, as the worker leaves one.
        String id = delivery(sid, proposal, "DEAD", null, OffsetDateTime.now());
        OnVertx.await(() -> SessionSql.update("update deliveries set attempts = 3 where id = $1", id));
        assertThat(retriesOf(deliveries(ALICE, sid).get(0))).isEmpty();

        Instant byAlice = Instant.now();
        assertRetried(retry(ALICE, id).statusCode(202).extract().jsonPath().getMap("$"), byAlice, "alice", 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Object> d = deliveries(ALICE, sid).get(0);
            return "DEAD".equals(d.get("status")) && Integer.valueOf(6).equals(d.get("attempts"));
        });

        // The operator puts alice's back a second time: both retries stay, in the order they were made.
        Instant byOps = Instant.now();
        List<Map<String, Object>> retries = retriesOf(retry(OPS, id).statusCode(202).extract().jsonPath().getMap("$"));
        assertThat(retries).extracting(r -> r.get("by")).containsExactly("alice", "ops");
        assertThat(retries).extracting(r -> r.get("afterAttempt")).containsExactly(3, 6);
        assertThat(Instant.parse((String) retries.get(1).get("at"))).isAfterOrEqualTo(byOps.minusSeconds(1))
                .isBefore(byOps.plusSeconds(5)).isAfterOrEqualTo(Instant.parse((String) retries.get(0).get("at")));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Object> d = deliveries(ALICE, sid).get(0);
            return "DEAD".equals(d.get("status")) && Integer.valueOf(9).equals(d.get("attempts"));
        });
        assertThat(retriesOf(deliveries(ALICE, sid).get(0))).extracting(r -> r.get("afterAttempt"))
                .containsExactly(3, 6);
    }

    /** The retries by hand a delivery shows (GET /deliveries, or a retry's answer). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> retriesOf(Map<String, Object> delivery) {
        assertThat(delivery).containsKey("retries");
        return (List<Map<String, Object>>) delivery.get("retries");
    }

    /** The delivery shows exactly one retry by hand: by {@code by}, around {@code when}, after {@code afterAttempt}. */
    static void assertRetried(Map<String, Object> delivery, Instant when, String by, int afterAttempt) {
        assertThat(retriesOf(delivery)).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("by", by).containsEntry("afterAttempt", afterAttempt);
            assertThat(Instant.parse((String) r.get("at"))).isAfterOrEqualTo(when.minusSeconds(1))
                    .isBefore(when.plusSeconds(5));
        });
    }

    static ValidatableResponse retry(String token, String id) {
        return given().header("Authorization", token).when().post("/deliveries/" + id + "/retry").then()
                .log().ifValidationFails();
    }

    /** A delivery of a notice to alice's subscription, in the given state, as the planner and the worker leave one. */
    static String delivery(String sid, String proposal, String status, OffsetDateTime next, OffsetDateTime finished) {
        String id = UUID.randomUUID().toString();
        OnVertx.await(() -> SessionSql.update("""
                        insert into deliveries (id, subscription_id, owner, event_id, event_type, proposal_id, body,
                                                status, attempts, next_attempt_at, created_at, finished_at, notice)
                        values ($1, $2, 'alice', $3, 'pv.review.objection-answered.v1', $4, '{}', $5, 0, $6, $7, $8,
                                'RESPONSE_DUE_SOON')""",
                id, sid, UUID.randomUUID(), proposal, status, next, OffsetDateTime.now(), finished));
        return id;
    }
}
