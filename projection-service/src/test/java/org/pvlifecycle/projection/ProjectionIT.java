package org.pvlifecycle.projection;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.pvlifecycle.testkit.Metrics.metric;
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

    @TestHTTPResource("/")
    URI base;

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

    /** Opens the stream, reads {@code count} event ids (and names), and disconnects. */
    List<String> readIds(String path, String lastEventId, int count, List<String> names) throws Exception {
        List<String> ids = new ArrayList<>();
        HttpURLConnection connection = (HttpURLConnection) new URL(base.resolve(path).toString()).openConnection();
        connection.setRequestProperty("Authorization", TOKEN);
        if (lastEventId != null) {
            connection.setRequestProperty("Last-Event-ID", lastEventId);
        }
        connection.setReadTimeout(20_000);
        assertThat(connection.getResponseCode()).isEqualTo(200);
        assertThat(connection.getContentType()).startsWith("text/event-stream");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (ids.size() < count && (line = reader.readLine()) != null) {
                if (line.startsWith("id:")) {
                    ids.add(line.substring(3).strip());
                } else if (line.startsWith("event:")) {
                    names.add(line.substring(6).strip());
                }
            }
        } finally {
            connection.disconnect();
        }
        return ids;
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

    @Test
    void theStreamResumesAfterLastEventIdWithNothingLostOrRepeated() throws Exception {
        String id = lived("pv-" + uuid().substring(0, 8));
        // The stream goes in the log's order (positions), the timeline in time order: topics are
        // applied concurrently, so the two orders may differ.
        List<Integer> positions = get("/proposals/" + id + "/timeline").<Integer>getList("position").stream()
                .sorted().toList();

        // A client reads the first two events of the proposal, then goes away.
        List<String> first = readIds("streams/events?from=0&proposal=" + id, null, 2, new ArrayList<>());
        assertThat(first).containsExactly(String.valueOf(positions.get(0)), String.valueOf(positions.get(1)));
        // Meanwhile two more events are published.
        TopicProbe.publish(new AckGiven(id, id + ".a7", Stage.PROTOTYPE, AckKind.TESTED_BY, "linux-frontend"), "dave");
        TopicProbe.publish(new AckGiven(id, id + ".a8", Stage.PROTOTYPE, AckKind.REVIEWED_BY, "linux-frontend"), "erin");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/proposals/" + id + "/timeline").getList("$").size() == 12);
        List<Integer> all = get("/proposals/" + id + "/timeline").<Integer>getList("position").stream().sorted().toList();

        // It comes back with Last-Event-ID: exactly the ten it missed, in order, nothing twice.
        List<String> names = new ArrayList<>();
        List<String> rest = readIds("streams/events?proposal=" + id, first.get(1), 10, names);
        assertThat(rest).containsExactlyElementsOf(all.subList(2, 12).stream().map(String::valueOf).toList());
        assertThat(names.get(names.size() - 1)).isEqualTo("pv.review.ack-given.v1");

        // A browser passes the token as a parameter; a type filter holds.
        HttpURLConnection filtered = (HttpURLConnection) new URL(base.resolve("streams/events?from=0&proposal=" + id
                + "&type=pv.review.ack-given.v1&access_token=" + TestTokens.raw("alice", "contributor")).toString())
                .openConnection();
        filtered.setReadTimeout(20_000);
        assertThat(filtered.getResponseCode()).isEqualTo(200);
        // Proxies that honour it (nginx) pass each event on at once instead of buffering the stream.
        assertThat(filtered.getHeaderField("X-Accel-Buffering")).isEqualTo("no");
        assertThat(filtered.getHeaderField("Cache-Control")).isEqualTo("no-cache");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(filtered.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null && !line.startsWith("event:")) {
                // skip to the first event
            }
            assertThat(line).isEqualTo("event:pv.review.ack-given.v1");
        } finally {
            filtered.disconnect();
        }
        given().header("Authorization", TOKEN).when().get("/streams/events?type=pv.nothing.v1").then().statusCode(400);
        // Log positions are bigints: a resume past 2^31 is a position like any other, not a 400.
        HttpURLConnection far = (HttpURLConnection) new URL(base.resolve("streams/events").toString()).openConnection();
        far.setRequestProperty("Authorization", TOKEN);
        far.setRequestProperty("Last-Event-ID", "3000000000");
        assertThat(far.getResponseCode()).isEqualTo(200);
        far.disconnect();
    }


    /**
     * A contested proposal: each eligibility-changed carries every open objection as a blocker, so
     * its log holds them over and over. The view and an asOf read answer the latest eligibility as
     * of then (the fold reads no other), and a stream from the start gets every event once and in
     * order, though each read for the streams stops at 64 KiB here (pvl.stream.kept-bytes).
     */
    @Test
    void aContestedProposalIsFoldedAndStreamedWholeThoughItsEligibilityChangesOutgrowTheStreamsMemory()
            throws Exception {
        String id = "pv-" + uuid().substring(0, 8);
        TopicProbe.publishAt(new ProposalSubmitted(id, "Contested", "s", "alice", List.of("linux-frontend"), 1,
                "# ABI", List.of(), List.of()), "alice", uuid(), T0);
        String rationale = "The request id is 32 bits wide but the ring can hold more entries. ".repeat(15);
        List<Blocker> blockers = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            String objection = id + ".o" + i;
            TopicProbe.publishAt(new ObjectionRaised(id, objection, Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                    rationale, false), "carol", uuid(), T0.plusSeconds(60L * i));
            blockers.add(new Blocker("OBJECTION_BLOCKING", "Open objection: " + rationale, objection, "carol", null, null,
                    "ABI", null));
            TopicProbe.publishAt(new EligibilityChanged(id, Stage.DESIGN, false, List.copyOf(blockers), null, null,
                    null, 1), "consensus-service", uuid(), T0.plusSeconds(60L * i + 1));
        }
        List<Integer> positions = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            positions.clear();
            positions.addAll(get("/proposals/" + id + "/timeline").<Integer>getList("position").stream().sorted().toList());
            return positions.size() == 81;
        });

        // The timeline, read and sent 64 KiB at a time (so in chunks): every event once, in time order.
        JsonPath timeline = given().header("Authorization", TOKEN).when().get("/proposals/" + id + "/timeline")
                .then().statusCode(200).contentType("application/json").header("Transfer-Encoding", "chunked")
                .extract().jsonPath();
        assertThat(timeline.getList("event.time", String.class)).hasSize(81)
                .isSortedAccordingTo(java.util.Comparator.comparing(Instant::parse));
        assertThat(timeline.getList("event.data.blockers", List.class)).filteredOn(java.util.Objects::nonNull)
                .extracting(List::size).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 40).boxed().toList());

        assertThat(get("/proposals/" + id).getList("proposal.eligibility.blockers.objectionId"))
                .hasSize(40).endsWith(id + ".o40");
        assertThat(get("/proposals/" + id + "?asOf=" + T0.plusSeconds(60L * 20 + 30))
                .getList("proposal.eligibility.blockers.objectionId")).hasSize(20).endsWith(id + ".o20");
        assertThat(get("/proposals/" + id + "?asOf=" + T0.plusSeconds(60L * 20 + 1))
                .getList("proposal.eligibility.blockers.objectionId")).hasSize(20);
        assertThat(get("/proposals/" + id + "?asOf=" + T0.plusSeconds(60L * 20))
                .getList("proposal.eligibility.blockers.objectionId")).hasSize(19);

        double catchUpBefore = metric("pvl_stream_log_reads_total{reader=\"catch-up\"}");
        List<String> streamed = readIds("streams/events?from=0&proposal=" + id, null, 81, new ArrayList<>());
        assertThat(streamed).containsExactlyElementsOf(positions.stream().map(String::valueOf).toList());
        // About 800 kB of eligibility: read from the database in slices, not in one read.
        assertThat(metric("pvl_stream_log_reads_total{reader=\"catch-up\"}")).isGreaterThan(catchUpBefore + 10);
    }

    /**
     * Many clients, one reader of the log: fifty streams at the end of the log each get every new
     * event of their proposal once and in order, and none of them reads the database to do so
     * (the shared tail reads it; a stream reads it only to catch up from far behind).
     */
    @Test
    void manyStreamsShareOneReaderOfTheLog() throws Exception {
        String id = "pv-" + uuid().substring(0, 8);
        TopicProbe.publish(new ProposalSubmitted(id, "Fan out", "s", "alice", List.of("linux-frontend"), 1,
                "# ABI", List.of(), List.of()), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", TOKEN)
                .get("/proposals/" + id).statusCode() == 200);
        double catchUpBefore = metric("pvl_stream_log_reads_total{reader=\"catch-up\"}");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        List<java.util.concurrent.CompletableFuture<List<String>>> clients = new ArrayList<>();
        List<java.util.concurrent.CountDownLatch> connected = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
            connected.add(open);
            clients.add(http.sendAsync(java.net.http.HttpRequest.newBuilder(base.resolve("streams/events?proposal=" + id))
                            .header("Authorization", TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofLines())
                    .thenApply(response -> {
                        open.countDown();
                        return response.body().filter(line -> line.startsWith("id:")).limit(3).toList();
                    }));
        }
        for (java.util.concurrent.CountDownLatch open : connected) {
            assertThat(open.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        for (int a = 0; a < 3; a++) {
            TopicProbe.publish(new AckGiven(id, id + ".a" + a, Stage.DESIGN, AckKind.REVIEWED_BY, "linux-frontend"),
                    "reviewer" + a);
        }
        List<Integer> positions = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            positions.clear();
            positions.addAll(get("/proposals/" + id + "/timeline").<Integer>getList("position").stream().sorted().toList());
            return positions.size() == 4;
        });
        List<String> expected = positions.subList(1, 4).stream().map(p -> "id:" + p).toList();
        for (java.util.concurrent.CompletableFuture<List<String>> client : clients) {
            assertThat(client.get(30, java.util.concurrent.TimeUnit.SECONDS)).containsExactlyElementsOf(expected);
        }
        assertThat(metric("pvl_stream_log_reads_total{reader=\"catch-up\"}")).isEqualTo(catchUpBefore);
    }

}
