package org.pvlifecycle.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.projection.api.ReadResource;
import org.pvlifecycle.projection.domain.ProposalRow;
import org.pvlifecycle.projection.domain.SummaryRow;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestDatabase;
import org.pvlifecycle.testkit.TopicProbe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.pvlifecycle.testkit.Metrics.metric;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /proposals} answers from each row's JSON written with the row (V13): byte for byte what
 * reading the row's columns and serializing the page of {@link ProposalRow}s with the REST layer's
 * mapper answered before, and for a row without ready JSON (refreshed before V13) the same again.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class ProposalListIT {
    /**
     * A title of what a JSON writer escapes or must not: quotes, backslashes, the very text that
     * marks where timeInStage goes, control characters, line and paragraph separators, characters
     * beyond the BMP (two UTF-16 units, one PostgreSQL character), and HTML.
     */
    static final String ODD_TITLE = "Quotes \"x\" and \\\"y\\\", a backslash \\ and \"timeInStage\":null,"
            + " tab\t, newline\n, \u0001, é ü ß 中文 😀 \u2028\u2029 </script> 'single'";

    @Inject
    ObjectMapper mapper;

    @Test
    void theListAnswersEachRowsReadyJsonAsSerializingThePageAnswered() throws Exception {
        String prefix = fourProposals();
        assertThat(queryLong("select count(*) from proposal_summaries where proposal_id like ? "
                + "and row_before_time_in_stage is not null and row_after_time_in_stage is not null", prefix + "%"))
                .as("every row has its ready JSON").isEqualTo(4);

        assertListedAsBefore(prefix, 0, 20, 4);
        assertListedAsBefore(prefix, 1, 3, 1);
        assertListedAsBefore(prefix, 0, 1, 1);
        assertListedAsBefore(prefix, 3, 2, 0);
    }

    @Test
    void aRowWithoutReadyJsonAsBeforeTheMigrationIsListedFromItsColumns() throws Exception {
        String prefix = fourProposals();
        // As V13 leaves the rows written before it: two of the four, so that a page mixes both kinds.
        update("update proposal_summaries set row_before_time_in_stage = null, row_after_time_in_stage = null "
                + "where proposal_id in (?, ?)", prefix + "-a", prefix + "-c");
        assertThat(queryLong("select count(*) from proposal_summaries where proposal_id like ? "
                + "and row_before_time_in_stage is null", prefix + "%")).isEqualTo(2);

        assertListedAsBefore(prefix, 0, 20, 4);
        assertListedAsBefore(prefix, 0, 1, 1);
        assertListedAsBefore(prefix, 1, 2, 2);
        assertThat(ProjectionIT.get("/proposals?q=" + prefix + "&blocked=true").getList("items.id"))
                .containsExactly(prefix + "-a", prefix + "-c");

        // The row's next event writes its ready JSON again.
        TopicProbe.publish(new AckGiven(prefix + "-a", prefix + "-a.ack", Stage.DESIGN, AckKind.REVIEWED_BY,
                "linux-frontend"), "erin");
        await().atMost(Duration.ofSeconds(30)).until(() -> queryLong("select count(*) from proposal_summaries "
                + "where proposal_id = ? and row_before_time_in_stage is not null and acks = 1", prefix + "-a") == 1);
        assertListedAsBefore(prefix, 0, 20, 4);
    }

    /**
     * A page read again while nothing changed is answered from memory ({@code ListPages}), and an
     * event this instance applies shows in a read right after its commit is visible (ListPagesTest
     * puts the commit before, during and after a page's read).
     */
    @Test
    void aPageIsKeptWhileNothingChangesAndAnEventAppliedHereShowsInTheNextRead() throws Exception {
        String prefix = fourProposals();
        double keptBefore = metric(KEPT_PAGES);
        for (int i = 0; i < 200 && metric(KEPT_PAGES) == keptBefore; i++) {
            assertListedAsBefore(prefix, 0, 20, 4);
        }
        assertThat(metric(KEPT_PAGES)).as("a read answered from memory").isGreaterThan(keptBefore);

        TopicProbe.publish(new AckGiven(prefix + "-d", prefix + "-d.ack", Stage.DESIGN, AckKind.ACKED_BY,
                "linux-frontend"), "erin");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> queryLong(
                "select count(*) from proposal_summaries where proposal_id = ? and acks = 1", prefix + "-d") == 1);
        assertListedAsBefore(prefix, 0, 20, 4);
    }

    /**
     * What another instance writes shows once the streams' tail has next read the log: a kept
     * page lives no longer than that. Another instance is played here by one statement that, as
     * an instance's transaction does, changes a row of the list and logs an event (the proposal's
     * last one again, under a new id): the tail finds the event, and only then is the kept page
     * known to be stale.
     */
    @Test
    void aChangeMadeElsewhereShowsOnceTheTailHasReadTheLog() throws Exception {
        String prefix = fourProposals();
        assertListedAsBefore(prefix, 0, 20, 4);
        update("""
                with changed as (update proposal_summaries set title = 'Changed by another instance',
                        row_before_time_in_stage = null, row_after_time_in_stage = null
                    where proposal_id = ? returning proposal_id)
                insert into event_log (event_id, topic, proposal_id, type, source, actor, occurred_at, sequence, payload)
                select gen_random_uuid(), topic, proposal_id, type, source, actor, occurred_at, sequence, payload
                from event_log where proposal_id = (select proposal_id from changed) order by position desc limit 1""",
                prefix + "-b");
        await().atMost(Duration.ofSeconds(10)).until(() -> ProjectionIT.get("/proposals?q=" + prefix + "&page=0&size=20")
                .getList("items.title").contains("Changed by another instance"));
        assertListedAsBefore(prefix, 0, 20, 4);
    }

    static final String KEPT_PAGES = "pvl_projection_list_pages_total{read=\"kept\"}";

    /**
     * Four proposals between them covering: blockers and none, a next
     * deadline (one finer than PostgreSQL keeps) and none, an odd title, an open objection, an ack
     * and an overdue decision. Returns their common prefix; they are listed in the order a, b, c, d.
     */
    private static String fourProposals() {
        String prefix = "pl" + UUID.randomUUID().toString().substring(0, 8);
        String a = prefix + "-a";
        String b = prefix + "-b";
        String c = prefix + "-c";
        String d = prefix + "-d";
        Map<String, Integer> events = Map.of(a, 2, b, 3, c, 3, d, 1);
        publishAll(
                submitted(a, ODD_TITLE),
                new EligibilityChanged(a, Stage.DESIGN, false, List.of(
                        blocker("NO_REVIEW_REQUESTED", "No review \"yet\" — \\ünïcödé\\ 😀"),
                        blocker("OBJECTION_BLOCKING", "An objection blocks")),
                        null, Instant.parse("2027-01-05T10:00:00.123456789Z"), null, 1),
                submitted(b, "Eligible, with a deadline"),
                new AckGiven(b, b + ".a1", Stage.DESIGN, AckKind.ACKED_BY, "linux-frontend"),
                new EligibilityChanged(b, Stage.DESIGN, true, List.of(), Instant.parse("2027-01-01T00:00:00Z"),
                        Instant.parse("2027-01-02T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), 1),
                submitted(c, "Blocked, no deadline"),
                new ObjectionRaised(c, c + ".o1", Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                        "The request id is 32 bits wide but the ring is larger.", false),
                new EligibilityChanged(c, Stage.DESIGN, false, List.of(blocker("OBJECTION_BLOCKING", "An objection is open")),
                        null, null, null, 1),
                submitted(d, "Just submitted"));
        for (Map.Entry<String, Integer> proposal : events.entrySet()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", ProjectionIT.TOKEN)
                    .when().get("/proposals/" + proposal.getKey() + "/timeline").then().extract().jsonPath()
                    .getList("$").size() == proposal.getValue());
        }
        return prefix;
    }

    private static void publishAll(LifecycleEvent... events) {
        Instant at = Instant.now().minusSeconds(60);
        for (LifecycleEvent event : events) {
            at = at.plusSeconds(1);
            TopicProbe.publishAt(event, "alice", UUID.randomUUID().toString(), at);
        }
    }

    private static ProposalSubmitted submitted(String id, String title) {
        return new ProposalSubmitted(id, title, "A summary", "alice", List.of("linux-frontend"), 1, "# ABI",
                List.of(), List.of());
    }

    private static Blocker blocker(String code, String message) {
        return new Blocker(code, message, null, null, null, null, null, null);
    }

    /**
     * The page's answer, as the body's bytes, equals the {@link ReadResource.Page} built the way the
     * list was before V13 (each row read from its columns, its blockers parsed) and serialized by the
     * REST layer's mapper. Each row's timeInStage is taken from the answer, as the time of the
     * request; it must be the mapper's ISO-8601 text, and lie between the stage's start and the
     * times just before and after the request.
     */
    private void assertListedAsBefore(String prefix, int page, int size, int expectedRows) throws Exception {
        Instant before = Instant.now();
        var response = given().header("Authorization", ProjectionIT.TOKEN).when()
                .get("/proposals?q=" + prefix + "&page=" + page + "&size=" + size)
                .then().statusCode(200).extract();
        Instant after = Instant.now();
        assertThat(response.contentType()).startsWith("application/json");
        String body = response.asString();

        List<SummaryRow> rows = columnsOfRows(prefix, page, size);
        assertThat(rows).hasSize(expectedRows);
        List<Object> times = JsonPath.from(body).getList("items.timeInStage");
        assertThat(times).hasSize(rows.size());
        List<ProposalRow> items = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            assertThat(times.get(i)).isInstanceOf(String.class);
            Duration timeInStage = Duration.parse((String) times.get(i));
            SummaryRow row = rows.get(i);
            assertThat(timeInStage).isBetween(Duration.between(row.stageEnteredAt(), before),
                    Duration.between(row.stageEnteredAt(), after));
            items.add(ProposalRow.of(row, timeInStage));
        }
        assertThat(body).isEqualTo(mapper.writeValueAsString(new ReadResource.Page(page, size, items)));
    }

    /** The rows, read from their columns as the list read them before V13. */
    private static List<SummaryRow> columnsOfRows(String prefix, int page, int size) throws Exception {
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement("select proposal_id, title, owner, "
                + "stage, stage_entered_at, eligible, blocker_count, open_objections, acks, decision_overdue, blockers, "
                + "next_deadline, summary from proposal_summaries where proposal_id like ? "
                + "order by proposal_id limit ? offset ?")) {
            s.setString(1, prefix + "%");
            s.setLong(2, size);
            s.setLong(3, (long) page * size);
            List<SummaryRow> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    OffsetDateTime nextDeadline = r.getObject(12, OffsetDateTime.class);
                    rows.add(new SummaryRow(r.getString(1), r.getString(2), r.getString(13), r.getString(3),
                            r.getString(4), r.getObject(5, OffsetDateTime.class).toInstant(), r.getBoolean(6),
                            r.getInt(7), r.getInt(8), r.getInt(9), r.getBoolean(10),
                            List.of(EventJson.mapper().readValue(r.getString(11), SummaryRow.BlockerLine[].class)),
                            nextDeadline == null ? null : nextDeadline.toInstant()));
                }
            }
            return rows;
        }
    }

    private static Connection connection() throws Exception {
        return DriverManager.getConnection(TestDatabase.jdbcUrl() + "?currentSchema=projection",
                TestDatabase.user(), TestDatabase.password());
    }

    private static long queryLong(String sql, String... parameters) throws Exception {
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static void update(String sql, String... parameters) throws Exception {
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            s.executeUpdate();
        }
    }
}
