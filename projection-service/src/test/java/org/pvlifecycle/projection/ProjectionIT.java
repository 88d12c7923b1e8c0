package org.pvlifecycle.projection;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.ServiceConventions;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class ProjectionIT {
    static final String TOKEN = TestTokens.mint("alice", "contributor");
    static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");

    static JsonPath get(String path) {
        return given().header("Authorization", TOKEN).when().get(path).then().statusCode(200).extract().jsonPath();
    }

    /** A proposal's life as the three services would publish it, at known times. */
    static String lived(String id) {
        TopicProbe.publishAt(new ProposalSubmitted(id, "PV Calls v2 " + id, "Socket calls over a shared ring", "alice",
                List.of("linux-frontend"), 1, "# ABI", List.of("xenstore handshake"), List.of()), "alice", uuid(), T0);
        TopicProbe.publishAt(new ProposalRevised(id, 2, "# spec", "ring layout", List.of(), List.of("C_STRUCTS_DISCOURAGED")),
                "alice", uuid(), T0.plusSeconds(3600));
        TopicProbe.publishAt(new ReviewRequested(id, Stage.DESIGN, 2), "alice", uuid(), T0.plusSeconds(7200));
        TopicProbe.publishAt(new ObjectionRaised(id, id + ".o1", Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                "The request id is 32 bits wide but the ring is larger.", false), "carol", uuid(), T0.plusSeconds(9000));
        TopicProbe.publishAt(new ObjectionAnswered(id, id + ".o1", "Capped.", T0.plusSeconds(99000)), "alice", uuid(),
                T0.plusSeconds(10000));
        TopicProbe.publishAt(new ObjectionLapsed(id, id + ".o1", T0.plusSeconds(99000)), "consensus-service", uuid(),
                T0.plusSeconds(99000));
        TopicProbe.publishAt(new EligibilityChanged(id, Stage.DESIGN, true, List.of(), T0.plusSeconds(90000), null,
                null, 1), "consensus-service", uuid(), T0.plusSeconds(99001));
        TopicProbe.publishAt(new StageAdvanced(id, Stage.DESIGN, Stage.PROTOTYPE, uuid(), DecisionKind.CZAR, "xen-czar",
                false, "fine"), "proposal-service", uuid(), T0.plus(Duration.ofDays(2)));
        // This ack came from an Acked-by: line on the list, and says which message.
        TopicProbe.publishAt(new AckGiven(id, id + ".a1", Stage.PROTOTYPE, AckKind.ACKED_BY, "linux-frontend",
                Source.mail(id + ".ack@example.org", "xen-devel.lists.xenproject.org")), "alice2",
                uuid(), T0.plus(Duration.ofDays(2)).plusSeconds(60));
        TopicProbe.publishAt(new EligibilityChanged(id, Stage.PROTOTYPE, false, List.of(new Blocker("NO_REVIEW_REQUESTED",
                        "No review", null, null, null, null, null, null)), null, null, null, 1), "consensus-service", uuid(),
                T0.plus(Duration.ofDays(2)).plusSeconds(61));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", TOKEN).when()
                .get("/proposals/" + id + "/timeline").then().extract().jsonPath().getList("$").size() == 10);
        return id;
    }

    static String uuid() {
        return UUID.randomUUID().toString();
    }

    @Test
    void isOperableAndChecksTokens() {
        ServiceConventions.assertOperable("pv-lifecycle projection-service");
        ServiceConventions.assertNeedsValidToken("/proposals");
        given().when().get("/streams/events").then().statusCode(401);
        given().when().get("/proposals/pv-unknown/timeline").then().statusCode(401);
        // A timeline is streamed, but an unknown proposal's is a problem, not an empty 200.
        given().header("Authorization", TOKEN).when().get("/proposals/pv-unknown/timeline").then().statusCode(404)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("pv-unknown"));
    }

    @Test
    void theFullViewFoldsEveryServicesEventsAndAnswersAsOfAnInstant() {
        String id = lived("pv-" + uuid().substring(0, 8));
        JsonPath view = get("/proposals/" + id);
        assertThat(view.getString("proposal.stage")).isEqualTo("PROTOTYPE");
        assertThat(view.getList("proposal.stageHistory.to")).containsExactly("DESIGN", "PROTOTYPE");
        assertThat(view.getList("proposal.revisions.revision")).containsExactly(1, 2);
        assertThat(view.getList("proposal.revisions[1].warnings")).containsExactly("C_STRUCTS_DISCOURAGED");
        assertThat(view.getString("proposal.objections[0].status")).isEqualTo("LAPSED");
        assertThat(view.getList("proposal.objections[0].thread.kind")).containsExactly("RAISED", "ANSWERED", "LAPSED");
        assertThat(view.getString("proposal.acks[0].author")).isEqualTo("alice2");
        assertThat(view.getString("proposal.acks[0].source.messageId")).isEqualTo(id + ".ack@example.org");
        assertThat(view.getString("proposal.acks[0].source.list")).isEqualTo("xen-devel.lists.xenproject.org");
        assertThat(view.getString("proposal.objections[0].source")).as("raised over REST").isNull();
        assertThat(view.getString("proposal.eligibility.stage")).isEqualTo("PROTOTYPE");

        JsonPath before = get("/proposals/" + id + "?asOf=" + T0.plus(Duration.ofDays(1)));
        assertThat(before.getString("proposal.stage")).isEqualTo("DESIGN");
        assertThat(before.getString("proposal.objections[0].status")).isEqualTo("ANSWERED");
        assertThat(before.getList("proposal.acks")).isEmpty();
        JsonPath early = get("/proposals/" + id + "?asOf=" + T0.plusSeconds(9500));
        assertThat(early.getString("proposal.objections[0].status")).isEqualTo("OPEN");
        given().header("Authorization", TOKEN).when().get("/proposals/" + id + "?asOf=" + T0.minusSeconds(1))
                .then().statusCode(404);

        List<String> times = get("/proposals/" + id + "/timeline").getList("event.time");
        assertThat(times).isSortedAccordingTo(java.util.Comparator.comparing(Instant::parse));
        assertThat(get("/proposals/" + id + "/timeline").getList("event.source"))
                .contains("/proposal-service", "/review-service", "/consensus-service");
    }

    @Test
    void theListFiltersAndPagesAndRefusesBadParameters() {
        String id = lived("pv-" + uuid().substring(0, 8));
        assertThat(get("/proposals?stage=PROTOTYPE&size=200").getList("items.id")).contains(id);
        assertThat(get("/proposals?stage=DESIGN&size=200").getList("items.id")).doesNotContain(id);
        assertThat(get("/proposals?blocked=true&size=200").getList("items.id")).contains(id);
        assertThat(get("/proposals?q=" + id.substring(3) + "&size=200").getList("items.id")).containsExactly(id);
        JsonPath row = get("/proposals?q=" + id);
        assertThat(row.getInt("items[0].acks")).isEqualTo(1);
        assertThat(row.getInt("items[0].blockerCount")).isEqualTo(1);
        assertThat(row.getString("items[0].timeInStage")).startsWith("PT");

        given().header("Authorization", TOKEN).when().get("/proposals?stage=LIMBO").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", contains("stage"));
        given().header("Authorization", TOKEN).when().get("/proposals?size=201").then().statusCode(400)
                .body("errors.field", contains("size"));
        given().header("Authorization", TOKEN).when().get("/proposals?page=-1").then().statusCode(400);
        given().header("Authorization", TOKEN).when().get("/proposals?blocked=maybe").then().statusCode(400);
        given().header("Authorization", TOKEN).when().get("/proposals/" + id + "?asOf=yesterday").then().statusCode(400)
                .body("errors.field", contains("asOf"));
        // Instants the log cannot hold (PostgreSQL's times run from 4713 BC to 294276 AD) are refused as well.
        for (String far : List.of("+300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z")) {
            given().header("Authorization", TOKEN).queryParam("asOf", far).when().get("/proposals/" + id).then()
                    .statusCode(400).contentType("application/problem+json").body("errors.field", contains("asOf"));
        }
        given().header("Authorization", TOKEN).when().get("/objections?status=SULKING").then().statusCode(400);
    }

    @Test
    void objectionsAndStatisticsComeFromTheLog() {
        String id = lived("pv-" + uuid().substring(0, 8));
        given().header("Authorization", TOKEN).when().get("/objections?proposal=" + id).then().statusCode(200)
                .body("objection.objectionId", contains(id + ".o1")).body("proposal", contains(id));
        // An empty filter filters nothing, as the other filters.
        given().header("Authorization", TOKEN).when().get("/objections?proposal=").then().statusCode(200)
                .body("objection.objectionId", hasItem(id + ".o1"));
        given().header("Authorization", TOKEN).when().get("/objections?status=LAPSED&author=carol").then()
                .body("objection.objectionId", hasItem(id + ".o1"));
        given().header("Authorization", TOKEN).when().get("/objections?status=OPEN").then()
                .body("objection.objectionId", not(hasItem(id + ".o1")));

        JsonPath stats = get("/stats");
        assertThat(stats.getLong("proposalsPerStage.PROTOTYPE")).isGreaterThanOrEqualTo(1);
        assertThat(stats.getLong("timeBeforeTransition.'DESIGN->PROTOTYPE'.count")).isGreaterThanOrEqualTo(1);
        assertThat(stats.getString("timeBeforeTransition.'DESIGN->PROTOTYPE'.median")).isEqualTo("PT48H");
        assertThat(stats.getLong("objectionsLapsed")).isGreaterThanOrEqualTo(1);

        // Eligible in PROTOTYPE, then overdue: counted.
        String overdue = lived("pv-" + uuid().substring(0, 8));
        long before = get("/stats").getLong("decisionsOverdueNow");
        Instant eligibleAt = T0.plus(Duration.ofDays(3));
        TopicProbe.publishAt(new EligibilityChanged(overdue, Stage.PROTOTYPE, true, List.of(), eligibleAt.minusSeconds(60),
                eligibleAt.plus(Duration.ofDays(7)), null, 1), "consensus-service", uuid(), eligibleAt);
        TopicProbe.publishAt(new DecisionOverdue(overdue, Stage.PROTOTYPE, eligibleAt, eligibleAt.plus(Duration.ofDays(7))),
                "consensus-service", uuid(), eligibleAt.plus(Duration.ofDays(7)));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/stats").getLong("decisionsOverdueNow") == before + 1);
        // No longer eligible (an objection blocks it): no longer counted, though it stays in PROTOTYPE.
        TopicProbe.publishAt(new EligibilityChanged(overdue, Stage.PROTOTYPE, false, List.of(new Blocker(
                        "OBJECTION_BLOCKING", "Objection " + overdue + ".o2 by carol is OPEN", overdue + ".o2", "carol",
                        null, null, null, null)), eligibleAt.minusSeconds(60), null, null, 1), "consensus-service", uuid(),
                eligibleAt.plus(Duration.ofDays(8)));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/stats").getLong("decisionsOverdueNow") == before);
        assertThat(get("/proposals?q=" + overdue).getBoolean("items[0].decisionOverdue")).isFalse();
    }

    @Test
    void aRedeliveredEventIsKeptOnce() {
        String id = lived("pv-" + uuid().substring(0, 8));
        String eventId = uuid();
        AckGiven ack = new AckGiven(id, id + ".a2", Stage.PROTOTYPE, AckKind.TESTED_BY, "linux-frontend");
        TopicProbe.publish(ack, "dave", eventId);
        TopicProbe.publish(ack, "dave", eventId);
        TopicProbe.publish(new AckGiven(id, id + ".a3", Stage.PROTOTYPE, AckKind.REVIEWED_BY, "linux-frontend"), "erin");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/proposals/" + id + "/timeline").getList("$").size() >= 12);
        assertThat(get("/proposals/" + id + "/timeline").getList("$")).hasSize(12);
        assertThat(get("/proposals?q=" + id).getInt("items[0].acks")).isEqualTo(3);
    }

    @Test
    void pagesAreStableAndComplete() {
        String prefix = "pg" + uuid().substring(0, 6);
        for (String suffix : List.of("-c", "-a", "-b")) {
            TopicProbe.publish(new ProposalSubmitted(prefix + suffix, "Paging " + suffix, "s", "alice",
                    List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/proposals?q=" + prefix).getList("items").size() == 3);
        assertThat(get("/proposals?q=" + prefix + "&size=2&page=0").getList("items.id"))
                .containsExactly(prefix + "-a", prefix + "-b");
        assertThat(get("/proposals?q=" + prefix + "&size=2&page=1").getList("items.id")).containsExactly(prefix + "-c");
        assertThat(get("/proposals?q=" + prefix + "&size=2&page=2").getList("items")).isEmpty();
        assertThat(get("/proposals?q=" + prefix + "&stage=DESIGN&blocked=false").getList("items.id")).hasSize(3);
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicAndTheNextEventIsApplied() {
        String id = "pv-" + uuid().substring(0, 8);
        TopicProbe.send(org.pvlifecycle.events.Topics.PROPOSAL, id, "{\"not\": \"a cloud event\"}", java.util.Map.of());
        TopicProbe.publish(new ProposalSubmitted(id, "After the poison", "s", "alice", List.of("linux-frontend"), 1,
                "# ABI", List.of(), List.of()), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/proposals?q=" + id).getList("items").size() == 1);
        var dead = TopicProbe.readUntil("pv.proposal.events.dlq", Duration.ofSeconds(30),
                records -> records.stream().anyMatch(r -> id.equals(r.key())));
        assertThat(dead).filteredOn(r -> id.equals(r.key())).singleElement()
                .satisfies(r -> assertThat(TopicProbe.header(r, "dead-letter-reason")).contains("not a CloudEvent"));
    }
}
