package org.pvlifecycle.proposal;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.events.TransitionDecided;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.proposal.Proposals.post;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class ProposalEventsIT {
    static final String ALICE = TestTokens.mint("alice", "contributor");

    static List<ConsumerRecord<String, String>> recordsOf(String id, int atLeast) {
        return TopicProbe.readUntil(Topics.PROPOSAL, Duration.ofSeconds(30),
                        records -> records.stream().filter(r -> id.equals(r.key())).count() >= atLeast)
                .stream().filter(r -> id.equals(r.key())).toList();
    }

    static List<String> eventTypes(String id) {
        return given().header("Authorization", ALICE).when().get("/proposals/" + id + "/events")
                .then().statusCode(200).extract().jsonPath().getList("type", String.class);
    }

    static void sendConsensusEvent(String eventId, LifecycleEvent event, String type) {
        TopicProbe.send(Topics.CONSENSUS, event.proposalId(), EventJson.write(event), Map.of(
                "ce_specversion", "1.0", "ce_id", eventId, "ce_source", "/consensus-service", "ce_type", type,
                "ce_subject", event.proposalId(), "ce_time", Instant.now().toString(), "ce_sequence", "1",
                "ce_actor", "xen-czar", "content-type", "application/json"));
    }

    @Test
    void eachAcceptedCommandIsOneCloudEventOnTheTopicKeyedByProposalInSequence() {
        String id = Proposals.submit("alice");
        post(ALICE, "/proposals/" + id + "/revisions", Map.of("spec", "# ABI")).statusCode(201);
        post(ALICE, "/proposals/" + id + "/review-requests", Map.of()).statusCode(202);

        List<ConsumerRecord<String, String>> mine = recordsOf(id, 3);
        assertThat(mine).hasSize(3);
        assertThat(mine).extracting(r -> TopicProbe.header(r, "ce_sequence")).containsExactly("1", "2", "3");
        assertThat(mine).extracting(r -> TopicProbe.header(r, "ce_type")).containsExactly(
                "pv.proposal.submitted.v1", "pv.proposal.revised.v1", "pv.proposal.review-requested.v1");
        assertThat(mine).allSatisfy(r -> {
            assertThat(TopicProbe.header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(TopicProbe.header(r, "ce_source")).isEqualTo("/proposal-service");
            assertThat(TopicProbe.header(r, "ce_subject")).isEqualTo(id);
            assertThat(TopicProbe.header(r, "ce_actor")).isEqualTo("alice");
            assertThat(TopicProbe.header(r, "content-type")).startsWith("application/json");
        });
        assertThat(mine.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
    }

    @Test
    void sixteenConcurrentRevisionsLoseNothingAndLeaveNoGap() throws Exception {
        String id = Proposals.submit("alice");
        int writers = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Response>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                String spec = "# ABI\nrevision by writer " + i;
                responses.add(pool.submit(() -> {
                    start.await();
                    return given().header("Authorization", ALICE).contentType("application/json")
                            .body(Map.of("spec", spec)).when().post("/proposals/" + id + "/revisions");
                }));
            }
            start.countDown();
            Set<Integer> revisions = new HashSet<>();
            int accepted = 0;
            for (Future<Response> future : responses) {
                Response response = future.get();
                assertThat(response.statusCode()).as(response.asString()).isIn(201, 409);
                if (response.statusCode() == 201) {
                    accepted++;
                    revisions.add(response.jsonPath().getInt("revision"));
                }
            }
            assertThat(revisions).hasSize(accepted);

            List<Integer> sequences = given().header("Authorization", ALICE).when().get("/proposals/" + id + "/events")
                    .then().extract().jsonPath().getList("sequence", Integer.class);
            assertThat(sequences).hasSize(1 + accepted);
            for (int i = 0; i < sequences.size(); i++) {
                assertThat(sequences.get(i)).isEqualTo(i + 1);
            }
            assertThat(eventTypes(id).stream().filter("pv.proposal.revised.v1"::equals)).hasSize(accepted);
            int lastRevision = 1 + accepted;
            assertThat(revisions).allSatisfy(r -> assertThat(r).isBetween(2, lastRevision));
            assertThat(accepted).isGreaterThan(0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTransitionDecidedTwiceOrFromAStaleStageAdvancesOnce() {
        String id = Proposals.submit("alice");
        TransitionDecided decided = new TransitionDecided(id, Stage.DESIGN, Stage.PROTOTYPE, DecisionKind.CZAR,
                "xen-czar", false, "Design reviewed without objection", List.of());
        String decisionId = UUID.randomUUID().toString();
        sendConsensusEvent(decisionId, decided, "pv.consensus.transition-decided.v1");
        sendConsensusEvent(decisionId, decided, "pv.consensus.transition-decided.v1");
        // A second, distinct decision for the same step arrives late: the proposal is no longer in DESIGN.
        sendConsensusEvent(UUID.randomUUID().toString(), decided, "pv.consensus.transition-decided.v1");
        // A later event on the same key proves the ones before it were consumed.
        String marker = UUID.randomUUID().toString();
        sendConsensusEvent(marker, new EligibilityChanged(id, Stage.PROTOTYPE, false, List.of(), null, null, null, 1),
                "pv.consensus.eligibility-changed.v1");

        await().atMost(Duration.ofSeconds(30)).until(() -> eventTypes(id).contains("pv.proposal.stage-advanced.v1"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);

        assertThat(eventTypes(id).stream().filter("pv.proposal.stage-advanced.v1"::equals)).hasSize(1);
        given().header("Authorization", ALICE).when().get("/proposals/" + id).then()
                .body("stage", org.hamcrest.Matchers.equalTo("PROTOTYPE"));
        List<Map<String, Object>> events = given().header("Authorization", ALICE).when()
                .get("/proposals/" + id + "/events").then().extract().jsonPath().getList("data");
        Map<String, Object> advanced = events.get(events.size() - 1);
        assertThat(advanced).containsEntry("decisionId", decisionId).containsEntry("decidedBy", "xen-czar")
                .containsEntry("decision", "CZAR").containsEntry("rationale", "Design reviewed without objection");
    }

    @Test
    void aReviewRequestIsAllowedAgainOnceTheAnnouncedWindowHasClosed() {
        String id = Proposals.submit("alice");
        post(ALICE, "/proposals/" + id + "/review-requests", Map.of()).statusCode(202);
        post(ALICE, "/proposals/" + id + "/review-requests", Map.of()).statusCode(409);

        Instant closed = Instant.now().plusMillis(500);
        sendConsensusEvent(UUID.randomUUID().toString(),
                new EligibilityChanged(id, Stage.DESIGN, false, List.of(), closed, null, null, 1),
                "pv.consensus.eligibility-changed.v1");

        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", ALICE)
                .contentType("application/json").body(Map.of())
                .when().post("/proposals/" + id + "/review-requests").statusCode() == 202);
        assertThat(eventTypes(id).stream().filter("pv.proposal.review-requested.v1"::equals)).hasSize(2);
    }

    @Test
    void aLaterAnnouncementOfTheWindowReplacesTheOneBefore() {
        String id = Proposals.submit("alice");
        post(ALICE, "/proposals/" + id + "/review-requests", Map.of()).statusCode(202);

        // A window announced as ending in an hour, then, on the same key (so applied after it), the
        // same window announced as closing now: only if the second replaced the first is a new
        // request taken.
        sendConsensusEvent(UUID.randomUUID().toString(),
                new EligibilityChanged(id, Stage.DESIGN, false, List.of(), Instant.now().plusSeconds(3600), null, null, 1),
                "pv.consensus.eligibility-changed.v1");
        sendConsensusEvent(UUID.randomUUID().toString(),
                new EligibilityChanged(id, Stage.DESIGN, false, List.of(), Instant.now().plusMillis(500), null, null, 2),
                "pv.consensus.eligibility-changed.v1");

        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", ALICE)
                .contentType("application/json").body(Map.of())
                .when().post("/proposals/" + id + "/review-requests").statusCode() == 202);
        assertThat(eventTypes(id).stream().filter("pv.proposal.review-requested.v1"::equals)).hasSize(2);
    }
}
