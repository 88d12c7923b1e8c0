package org.pvlifecycle.projection;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.PvlTestResources;
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

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.projection.ProjectionIT.T0;
import static org.pvlifecycle.projection.ProjectionIT.TOKEN;
import static org.pvlifecycle.projection.ProjectionIT.get;
import static org.pvlifecycle.projection.ProjectionIT.lived;
import static org.pvlifecycle.projection.ProjectionIT.uuid;
import static org.pvlifecycle.testkit.Metrics.metric;

/**
 * The live event stream ({@code GET /streams/events}): resuming after {@code Last-Event-ID} with
 * nothing lost or repeated, a contested proposal streamed whole, and many clients sharing one
 * reader of the log. Apart from {@link ProjectionIT}, on the same application and resources.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class EventStreamIT {

    @TestHTTPResource("/")
    URI base;

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
