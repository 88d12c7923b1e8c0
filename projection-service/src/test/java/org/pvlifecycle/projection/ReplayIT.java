package org.pvlifecycle.projection;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.projection.persistence.ProposalViews;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestDatabase;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class ReplayIT {
    static final String OPERATOR = TestTokens.mint("ops", "operator");

    @TestHTTPResource("/")
    URI base;

    /**
     * Has this instance apply an event of a proposal of its own: its commit ends every read kept
     * from before it. A change made behind the service's back, as the damage here, shows no sooner:
     * no instance logged an event with it, so the streams' tail finds none, and the tests keep what
     * was read a minute ({@code %test.pvl.projection.kept-reads.max-age}).
     */
    static void applyAnotherEvent() throws Exception {
        String other = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        TopicProbe.publishAt(new ProposalSubmitted(other, "Another proposal " + other, "Ends what was kept", "alice",
                List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice", UUID.randomUUID().toString(),
                ProjectionIT.T0);
        await().atMost(Duration.ofSeconds(30)).until(() -> exists(
                "select 1 from proposal_summaries where proposal_id = '" + other + "'"));
    }

    static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl() + "?currentSchema=projection",
                TestDatabase.user(), TestDatabase.password()); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static boolean exists(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl() + "?currentSchema=projection",
                TestDatabase.user(), TestDatabase.password()); Statement s = c.createStatement()) {
            return s.executeQuery(query).next();
        }
    }

    /** The first column of the first row {@code query} answers, as text; null when there is none. */
    static String value(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl() + "?currentSchema=projection",
                TestDatabase.user(), TestDatabase.password()); Statement s = c.createStatement()) {
            var rows = s.executeQuery(query);
            return rows.next() ? rows.getString(1) : null;
        }
    }

    static String replayState() {
        return given().header("Authorization", OPERATOR).when().get("/admin/replay").then().extract().path("state");
    }

    static void awaitReplayDone() {
        await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(replayState()));
    }

    /** Whether the replay is waiting for its share lock on the log. */
    static boolean replayWaitsForTheLog() throws Exception {
        return exists("select 1 from pg_locks where relation = 'projection.event_log'::regclass "
                + "and mode = 'ShareLock' and not granted");
    }

    static String withoutTimeInStage(String json) {
        return json.replaceAll("\"timeInStage\": \"[^\"]*\"", "");
    }

    @Test
    void aReplayRebuildsTheModelsFromTheTopicsWhileReadsGoOn() throws Exception {
        String id = ProjectionIT.lived("pv-" + UUID.randomUUID().toString().substring(0, 8));
        String row = ProjectionIT.get("/proposals?q=" + id).prettify();
        // And a proposal whose decision is overdue, which only the overdue notice says.
        String overdue = ProposalViewIT.overdue("po-" + UUID.randomUUID().toString().substring(0, 8));
        String overdueRow = ProjectionIT.get("/proposals?q=" + overdue).prettify();
        assertThat(ProjectionIT.get("/proposals?q=" + overdue).getBoolean("items[0].decisionOverdue")).isTrue();
        String overdueView = ProposalViewIT.proposalPart("/proposals/" + overdue);
        List<Object> timeline = ProjectionIT.get("/proposals/" + id + "/timeline").getList("event.id");
        // And a proposal revised more often than its document holds, its revisions one row each.
        String often = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        int revisions = ProposalViews.REVISIONS_IN_THE_DOCUMENT + 2;
        TopicProbe.publishAt(new ProposalSubmitted(often, "Revised often " + often, "Many revisions", "alice",
                List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice", UUID.randomUUID().toString(),
                ProjectionIT.T0);
        for (int r = 2; r <= revisions; r++) {
            TopicProbe.publishAt(new ProposalRevised(often, r, "# spec " + r, "revision " + r, List.of(), List.of()),
                    "alice", UUID.randomUUID().toString(), ProjectionIT.T0.plusSeconds(60L * r));
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                ProjectionIT.get("/proposals/" + often).getList("proposal.revisions").size() == revisions);
        sql("delete from proposal_revisions where proposal_id = '" + often + "' and revision_index = 3");
        // Shows once this instance has next applied an event (the view read above may be answered
        // from memory until then), as the damaged row below does.
        applyAnotherEvent();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ProjectionIT.get("/proposals/" + often).getList("proposal.revisions").size() == revisions - 1);

        // Damage both models: a lost event and a wrong row (its columns and the JSON the list answers from).
        sql("delete from event_log where proposal_id = '" + id + "' and type = 'pv.review.ack-given.v1'");
        sql("update proposal_summaries set acks = 99, title = 'wrong', "
                + "row_before_time_in_stage = regexp_replace(row_before_time_in_stage, '\"title\":\"[^\"]*\"', '\"title\":\"wrong\"'), "
                + "row_after_time_in_stage = replace(row_after_time_in_stage, '\"acks\":1,', '\"acks\":99,') "
                + "where proposal_id = '" + id + "'");
        // A change behind the service's back shows once this instance has next applied an event (the
        // page read above may be answered from memory until then).
        applyAnotherEvent();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProjectionIT.get("/proposals?q=" + id).getInt("items[0].acks") == 99);
        assertThat(ProjectionIT.get("/proposals?q=" + id).getString("items[0].title")).isEqualTo("wrong");

        given().header("Authorization", ProjectionIT.TOKEN).when().post("/admin/replay").then().statusCode(403);

        AtomicBoolean reading = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                for (String path : List.of("/proposals?size=50", "/proposals/" + id, "/proposals?q=" + id)) {
                    int status = given().header("Authorization", ProjectionIT.TOKEN).when().get(path).statusCode();
                    reads.incrementAndGet();
                    if (status != 200) {
                        failures.add(status);
                    }
                }
            }
        });
        reader.start();
        try {
            given().header("Authorization", OPERATOR).when().post("/admin/replay").then().statusCode(202);
            awaitReplayDone();
        } finally {
            reading.set(false);
            reader.join();
        }

        assertThat(failures).as("reads that failed during the replay").isEmpty();
        assertThat(reads.get()).isPositive();
        var status = given().header("Authorization", OPERATOR).when().get("/admin/replay").then().extract().jsonPath();
        assertThat(status.getLong("eventsAdded")).isGreaterThanOrEqualTo(1);
        assertThat(status.getLong("proposalsRebuilt")).isGreaterThanOrEqualTo(1);
        // The rebuilt row equals the live one it replaced (time in stage aside: it moves with the clock).
        assertThat(withoutTimeInStage(ProjectionIT.get("/proposals?q=" + id).prettify())).isEqualTo(withoutTimeInStage(row));
        assertThat(ProjectionIT.get("/proposals?q=" + id).getInt("items[0].acks")).isEqualTo(1);
        assertThat(ProjectionIT.get("/proposals?q=" + id).getString("items[0].title")).startsWith("PV Calls v2");
        assertThat(exists("select 1 from proposal_summaries where proposal_id = '" + id + "' "
                + "and row_before_time_in_stage is not null and row_after_time_in_stage is not null"))
                .as("the rebuilt row has its ready JSON").isTrue();
        assertThat(ProjectionIT.get("/proposals/" + id + "/timeline").getList("event.id"))
                .containsExactlyInAnyOrderElementsOf(timeline);
        assertThat(withoutTimeInStage(ProjectionIT.get("/proposals?q=" + overdue).prettify()))
                .isEqualTo(withoutTimeInStage(overdueRow));
        assertThat(ProposalViewIT.proposalPart("/proposals/" + overdue)).isEqualTo(overdueView)
                .isEqualTo(ProposalViewIT.proposalPart("/proposals/" + overdue + "?asOf=2999-01-01T00:00:00Z"));
        String folded = "/proposals/" + often + "?asOf=2999-01-01T00:00:00Z";
        assertThat(ProposalViewIT.proposalPart("/proposals/" + often)).isEqualTo(ProposalViewIT.proposalPart(folded));
        // The next event folds on from a view that agrees with the rebuilt rows.
        TopicProbe.publishAt(new ProposalRevised(often, revisions + 1, "# spec", "after the replay", List.of(), List.of()),
                "alice", UUID.randomUUID().toString(), ProjectionIT.T0.plusSeconds(60L * revisions + 60));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                ProjectionIT.get("/proposals/" + often).getList("proposal.revisions").size() == revisions + 1);
        assertThat(ProposalViewIT.proposalPart("/proposals/" + often)).isEqualTo(ProposalViewIT.proposalPart(folded));
    }

    /**
     * An event being logged when the replay takes its cut, and committed only after the first
     * pass has read its proposal, below the highest position the cut saw (another proposal's
     * event committed after it drew its position): the replay waits for it, and the rebuilt view
     * has it. Without the wait it would be in neither pass and missing from the view until the
     * proposal's next event.
     */
    @Test
    void anEventBeingLoggedWhenTheReplayStartsIsInTheRebuiltModel() throws Exception {
        String late = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        TopicProbe.publishAt(new ProposalSubmitted(late, "Logged late " + late, "A late commit", "alice",
                List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice", UUID.randomUUID().toString(),
                ProjectionIT.T0);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                ProjectionIT.get("/proposals/" + late).getList("proposal.revisions").size() == 1);

        try (Connection writer = DriverManager.getConnection(TestDatabase.jdbcUrl() + "?currentSchema=projection",
                TestDatabase.user(), TestDatabase.password())) {
            // A transaction logging the proposal's revision, its position drawn and not yet committed.
            writer.setAutoCommit(false);
            ProposalRevised revised = new ProposalRevised(late, 2, "# spec 2", "logged late", List.of(), List.of());
            try (PreparedStatement insert = writer.prepareStatement("insert into event_log (event_id, topic, "
                    + "proposal_id, type, source, actor, occurred_at, sequence, payload) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                EventType type = EventType.of(revised);
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, type.topic());
                insert.setString(3, late);
                insert.setString(4, type.typeName());
                insert.setString(5, type.source());
                insert.setString(6, "alice");
                insert.setObject(7, ProjectionIT.T0.plusSeconds(60).atOffset(ZoneOffset.UTC));
                insert.setLong(8, 2);
                insert.setString(9, EventJson.write(revised));
                insert.executeUpdate();
            }
            // Another proposal's event, logged and committed above it by the live consumer.
            TopicProbe.publishAt(new ProposalSubmitted(other, "Logged after " + other, "Committed first", "alice",
                    List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice",
                    UUID.randomUUID().toString(), Instant.now());
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    ProjectionIT.get("/proposals/" + other).getList("proposal.revisions").size() == 1);

            given().header("Authorization", OPERATOR).when().post("/admin/replay").then().statusCode(202);
            await("the replay waits for the transaction writing to the log").atMost(Duration.ofSeconds(60))
                    .until(ReplayIT::replayWaitsForTheLog);
            assertThat(replayState()).isEqualTo("RUNNING");
            writer.commit();
        }
        awaitReplayDone();
        assertThat(ProjectionIT.get("/proposals/" + late).getList("proposal.revisions"))
                .as("the revision committed after the cut was taken").hasSize(2);
    }

    @Test
    void theLiveConsumersGoOnWhileTheReplayWaitsForASessionHoldingTheLog() throws Exception {
        String during = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection holder = DriverManager.getConnection(TestDatabase.jdbcUrl() + "?currentSchema=projection",
                TestDatabase.user(), TestDatabase.password())) {
            // The log held as a vacuum holds it: writers go on, the replay's cut cannot be taken.
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("lock table event_log in share update exclusive mode");
            }
            given().header("Authorization", OPERATOR).when().post("/admin/replay").then().statusCode(202);
            await("the replay asks for the log").atMost(Duration.ofSeconds(60)).until(ReplayIT::replayWaitsForTheLog);

            // A request left waiting would hold back every writer that conflicts with it, the
            // live consumer's insert into the log among them, until the holder lets go.
            TopicProbe.publishAt(new ProposalSubmitted(during, "Submitted during " + during, "While the replay waits",
                    "alice", List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice",
                    UUID.randomUUID().toString(), Instant.now());
            await("the live event applied while the replay waits").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> ProjectionIT.get("/proposals/" + during).getList("proposal.revisions").size() == 1);
            assertThat(replayState()).isEqualTo("RUNNING");
            holder.commit();
        }
        awaitReplayDone();
        assertThat(ProjectionIT.get("/proposals/" + during).getList("proposal.revisions"))
                .as("the event applied while the replay waited, in the rebuilt model").hasSize(1);
    }
    /**
     * The replay's swap holds the read model's tables a while. An event whose transaction waits
     * for them must not have drawn its log position already: a later event that needs no table (a
     * policy change) would commit a higher one, and the streams' tail, after waiting a little for
     * the hole below it, would go on without it, for good.
     */
    @Test
    void anEventWaitingForTheSwapStillReachesALiveStream() throws Exception {
        String id = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        TopicProbe.publish(new ProposalSubmitted(id, "Waits for the swap", "s", "alice", List.of("linux-frontend"), 1,
                "# ABI", List.of(), List.of()), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> exists(
                "select 1 from proposal_summaries where proposal_id = '" + id + "'"));
        HttpURLConnection live = (HttpURLConnection) new URL(base.resolve("streams/events?proposal=" + id).toString())
                .openConnection();
        live.setRequestProperty("Authorization", OPERATOR);
        live.setReadTimeout(60_000);
        assertThat(live.getResponseCode()).isEqualTo(200);
        CompletableFuture<String> revised = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(live.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.equals("event:" + EventType.PROPOSAL_REVISED.typeName())) {
                        revised.complete(line);
                    }
                }
            } catch (Exception closed) {
                revised.completeExceptionally(closed);
            }
        });
        reader.setDaemon(true);
        reader.start();
        String policy = UUID.randomUUID().toString();
        try (Connection swap = DriverManager.getConnection(TestDatabase.jdbcUrl() + "?currentSchema=projection",
                TestDatabase.user(), TestDatabase.password())) {
            swap.setAutoCommit(false);
            swap.createStatement().execute("lock table proposal_summaries, proposal_revisions in access exclusive mode");
            TopicProbe.publish(new ProposalRevised(id, 2, "# ABI", "waits", List.of(), List.of()), "alice");
            Thread.sleep(1000); // its transaction is waiting for the tables
            // A policy change refreshes no summary: before the fix its transaction went on past the swap.
            TopicProbe.publishAt(new PolicyChanged(1, java.util.Map.of(Stage.DESIGN, Duration.ofDays(14), Stage.PROTOTYPE,
                    Duration.ofDays(14), Stage.PRODUCTION, Duration.ofDays(28)), Duration.ofDays(3), Duration.ofDays(7),
                    Duration.ofDays(7), false, false, java.util.Map.of("linux-frontend", List.of("alice"))), "xen-czar",
                    policy, Instant.now());
            // Had the revision drawn its position before waiting, the policy change, committed meanwhile
            // above it, would leave a hole that outlasts the tail's patience.
            Thread.sleep(4000);
            swap.commit();
        }
        try {
            assertThat(revised.get(30, TimeUnit.SECONDS)).isNotNull();
            await().atMost(Duration.ofSeconds(30)).until(() -> exists(
                    "select 1 from event_log where event_id = '" + policy + "'"));
        } finally {
            live.disconnect();
        }
    }
}
