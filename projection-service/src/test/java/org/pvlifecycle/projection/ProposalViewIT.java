package org.pvlifecycle.projection;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.projection.ProjectionIT.T0;
import static org.pvlifecycle.projection.ProjectionIT.TOKEN;
import static org.pvlifecycle.projection.ProjectionIT.get;
import static org.pvlifecycle.projection.ProjectionIT.lived;
import static org.pvlifecycle.testkit.Metrics.metric;
import static org.pvlifecycle.projection.ProjectionIT.uuid;

/**
 * A proposal's full view as stored with each event (kept folded between refreshes, its revisions
 * apart past what its document holds) is the view folded from the whole log, byte for byte,
 * whatever order events arrive in and whatever transaction fails.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class ProposalViewIT {
    /**
     * The document written with each event (its revisions stored apart and joined when read) is
     * byte for byte what folding the history answers.
     */
    @Test
    void theStoredFullViewEqualsTheFoldedOne() {
        String id = lived("pv-" + uuid().substring(0, 8));
        Object stored = get("/proposals/" + id).get("proposal");
        Object folded = get("/proposals/" + id + "?asOf=2999-01-01T00:00:00Z").get("proposal");
        assertThat(stored).isEqualTo(folded);
        assertThat(proposalPart("/proposals/" + id)).isEqualTo(proposalPart("/proposals/" + id + "?asOf=2999-01-01T00:00:00Z"));
    }

    /**
     * A proposal revised more often than its document holds keeps its revisions apart, one row
     * each: the answer is still byte for byte the folded one, after a revision that arrived behind
     * a later one (all rows written again) and after one in order (only it written).
     */
    @Test
    void aViewWithItsRevisionsApartIsAnsweredWhole() throws Exception {
        String id = "pv-" + uuid().substring(0, 8);
        int revisions = org.pvlifecycle.projection.persistence.ProposalViews.REVISIONS_IN_THE_DOCUMENT + 4;
        publishRevisions(id, revisions - 1, List.of("C_STRUCTS_DISCOURAGED"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                get("/proposals/" + id).getList("proposal.revisions").size() == revisions - 1);
        // Behind the last one in time.
        TopicProbe.publishAt(new ProposalRevised(id, revisions, "# spec late", "late", List.of(), List.of()), "alice",
                uuid(), T0.plusSeconds(60L * revisions - 90));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                get("/proposals/" + id).getList("proposal.revisions").size() == revisions);
        String asOf = "/proposals/" + id + "?asOf=2999-01-01T00:00:00Z";
        assertThat(proposalPart("/proposals/" + id)).isEqualTo(proposalPart(asOf));
        TopicProbe.publishAt(new ProposalRevised(id, revisions + 1, "# spec last", "last", List.of(), List.of()),
                "alice", uuid(), T0.plusSeconds(60L * revisions + 60));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                get("/proposals/" + id).getList("proposal.revisions").size() == revisions + 1);
        assertThat(proposalPart("/proposals/" + id)).isEqualTo(proposalPart(asOf));
        assertThat(ReplayIT.exists("select 1 from proposal_revisions where proposal_id = '" + id + "' having count(*) = "
                + (revisions + 1))).isTrue();
    }

    /**
     * A view read again while nothing changed is answered from memory, the same bytes; an event
     * this instance applies shows in the next read once it is applied (ListPagesTest puts the
     * commit before, during and after a read).
     */
    @Test
    void aViewIsKeptWhileNothingChangesAndAnEventAppliedHereShowsInTheNextRead() throws Exception {
        String id = lived("pk-" + uuid().substring(0, 8));
        String first = proposalPart("/proposals/" + id);
        double keptBefore = metric(KEPT_VIEWS);
        for (int i = 0; i < 200 && metric(KEPT_VIEWS) == keptBefore; i++) {
            assertThat(proposalPart("/proposals/" + id)).isEqualTo(first);
        }
        assertThat(metric(KEPT_VIEWS)).as("a read answered from memory").isGreaterThan(keptBefore);
        assertThat(proposalPart("/proposals/" + id)).isEqualTo(first);

        TopicProbe.publishAt(new ProposalRevised(id, 3, "# spec 3", "kept view ended", List.of(), List.of()), "alice",
                uuid(), T0.plus(Duration.ofDays(3)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> ReplayIT.exists(
                "select 1 from proposal_summaries where proposal_id = '" + id + "' and document like '%kept view ended%'"));
        assertThat(get("/proposals/" + id).getList("proposal.revisions")).hasSize(3);
        assertThat(proposalPart("/proposals/" + id)).isEqualTo(proposalPart("/proposals/" + id + "?asOf=2999-01-01T00:00:00Z"));
    }

    /**
     * What another instance writes shows once the streams' tail has next read the log: a kept view
     * lives no longer than that. The tests keep views a minute otherwise
     * ({@code %test.pvl.projection.kept-reads.max-age}), so only the tail can show the change
     * within the ten seconds. Another instance is played by one statement that, as an instance's
     * transaction does, changes the view and logs an event (the proposal's last one again, under
     * a new id), which the tail finds.
     */
    @Test
    void aViewChangedElsewhereShowsOnceTheTailHasReadTheLog() throws Exception {
        String id = lived("pe-" + uuid().substring(0, 8));
        double keptBefore = metric(KEPT_VIEWS);
        for (int i = 0; i < 200 && metric(KEPT_VIEWS) == keptBefore; i++) {
            assertThat(get("/proposals/" + id).getString("proposal.title")).isEqualTo("PV Calls v2 " + id);
        }
        assertThat(metric(KEPT_VIEWS)).as("the view is kept").isGreaterThan(keptBefore);
        ReplayIT.sql("with changed as (update proposal_summaries set document = replace(document, 'PV Calls v2 " + id
                + "', 'Changed by another instance') where proposal_id = '" + id + "' returning proposal_id) "
                + "insert into event_log (event_id, topic, proposal_id, type, source, actor, occurred_at, sequence, payload) "
                + "select gen_random_uuid(), topic, proposal_id, type, source, actor, occurred_at, sequence, payload "
                + "from event_log where proposal_id = (select proposal_id from changed) order by position desc limit 1");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                get("/proposals/" + id).getString("proposal.title").equals("Changed by another instance"));
    }

    static final String KEPT_VIEWS = "pvl_projection_views_total{read=\"kept\"}";

    /** The answer's text after its asOf: the proposal, as the service wrote it. */
    static String proposalPart(String path) {
        String body = given().header("Authorization", TOKEN).when().get(path).then().statusCode(200).extract().asString();
        int proposal = body.indexOf(",\"proposal\":");
        assertThat(proposal).isPositive();
        return body.substring(proposal);
    }

    /**
     * Each event applied in a transaction of its own, in an order other than their times: every
     * refresh but the first folds the new event into the view kept since the one before
     * (ProposalFolds), and the summary stays what folding the whole log answers.
     */
    @Test
    void aSummaryRefreshedFromTheKeptLogEqualsTheFoldedOneWhateverOrderEventsArriveIn() {
        String id = "pv-" + uuid().substring(0, 8);
        List<Runnable> outOfOrder = List.of(
                () -> TopicProbe.publishAt(new ProposalSubmitted(id, "Kept " + id, "A log kept between refreshes", "alice",
                        List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice", uuid(), T0),
                () -> TopicProbe.publishAt(new ObjectionRaised(id, id + ".o1", Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                        "Raised after revision 2, applied first.", false), "carol", uuid(), T0.plusSeconds(9000)),
                () -> TopicProbe.publishAt(new ProposalRevised(id, 3, "# spec 3", "third", List.of(), List.of()),
                        "alice", uuid(), T0.plusSeconds(7200)),
                () -> TopicProbe.publishAt(new ProposalRevised(id, 2, "# spec 2", "second", List.of(), List.of()),
                        "alice", uuid(), T0.plusSeconds(3600)),
                () -> TopicProbe.publishAt(new ObjectionAnswered(id, id + ".o1", "Fixed in 3.", T0.plusSeconds(99000)),
                        "alice", uuid(), T0.plusSeconds(10000)));
        for (int i = 0; i < outOfOrder.size(); i++) {
            outOfOrder.get(i).run();
            int applied = i + 1;
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> given().header("Authorization", TOKEN)
                    .when().get("/proposals/" + id + "/timeline").then().statusCode(200).extract().jsonPath()
                    .getList("$").size() == applied);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath stored = get("/proposals/" + id);
            assertThat(stored.getList("proposal.revisions.revision")).containsExactly(1, 2, 3);
            assertThat(stored.getList("proposal.objections[0].thread.kind")).containsExactly("RAISED", "ANSWERED");
            assertThat(stored.getObject("proposal", Object.class))
                    .isEqualTo(get("/proposals/" + id + "?asOf=2999-01-01T00:00:00Z").get("proposal"));
            assertThat(proposalPart("/proposals/" + id))
                    .isEqualTo(proposalPart("/proposals/" + id + "?asOf=2999-01-01T00:00:00Z"));
        });
    }

    /**
     * An overdue decision is announced by {@code decision-overdue} alone (no eligibility-changed
     * follows it): the row and the full view show it, live as folded from the whole log and as of
     * any instant, until a later answer says the proposal is not eligible. The notice arrives
     * before the answer it is about, which sorts before it: the refresh merges the answer in.
     */
    @Test
    void anOverdueDecisionShowsInTheRowAndTheViewUntilALaterAnswerSaysOtherwise() throws Exception {
        String id = overdue("po-" + uuid().substring(0, 8));
        String folded = "/proposals/" + id + "?asOf=2999-01-01T00:00:00Z";
        assertThat(get("/proposals?q=" + id).getBoolean("items[0].decisionOverdue")).isTrue();
        assertThat(get("/proposals?q=" + id).getBoolean("items[0].eligible")).isTrue();
        assertThat(get("/proposals/" + id).getString("proposal.eligibility.decisionOverdueSince"))
                .isEqualTo(OVERDUE_SINCE.toString());
        assertThat(proposalPart("/proposals/" + id)).isEqualTo(proposalPart(folded));
        // As of before the notice, it was not overdue yet.
        assertThat(get("/proposals/" + id + "?asOf=" + T0.plus(Duration.ofDays(8)).minusSeconds(1))
                .getString("proposal.eligibility.decisionOverdueSince")).isNull();
        assertThat(get("/proposals/" + id + "?asOf=" + T0.plus(Duration.ofDays(8)))
                .getString("proposal.eligibility.decisionOverdueSince")).isEqualTo(OVERDUE_SINCE.toString());

        TopicProbe.publishAt(new EligibilityChanged(id, Stage.DESIGN, false, List.of(new Blocker("OBJECTION_BLOCKING",
                        "Objection " + id + ".o1 by carol is OPEN", id + ".o1", "carol", null, null, null, null)),
                        T0.plusSeconds(3600), null, null, 1), "consensus-service", uuid(), T0.plus(Duration.ofDays(9)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get("/proposals?q=" + id).getBoolean("items[0].decisionOverdue")).isFalse());
        assertThat(get("/proposals/" + id).getString("proposal.eligibility.decisionOverdueSince")).isNull();
        assertThat(proposalPart("/proposals/" + id)).isEqualTo(proposalPart(folded));
    }

    /** When {@link #overdue} says the decision became overdue. */
    static final java.time.Instant OVERDUE_SINCE = T0.plusSeconds(3600).plus(Duration.ofDays(7));

    /**
     * A proposal eligible in DESIGN since an hour after T0, and its decision overdue since
     * {@link #OVERDUE_SINCE}, the notice logged a day after that but applied before the answer.
     */
    static String overdue(String id) {
        TopicProbe.publishAt(new ProposalSubmitted(id, "Overdue " + id, "Eligible, undecided", "alice",
                List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice", uuid(), T0);
        TopicProbe.publishAt(new DecisionOverdue(id, Stage.DESIGN, T0.plusSeconds(3600), OVERDUE_SINCE),
                "consensus-service", uuid(), T0.plus(Duration.ofDays(8)));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                get("/proposals/" + id + "/timeline").getList("$").size() == 2);
        TopicProbe.publishAt(new EligibilityChanged(id, Stage.DESIGN, true, List.of(), T0.plusSeconds(1800),
                OVERDUE_SINCE, null, 1), "consensus-service", uuid(), T0.plusSeconds(3600));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                get("/proposals/" + id + "/timeline").getList("$").size() == 3);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                get("/proposals?q=" + id).getBoolean("items[0].eligible"));
        return id;
    }

    /**
     * A transaction that refreshed a summary and then failed to commit: its view was kept, but its
     * events were not logged. The consumer tries again, logging the event at a new position; the
     * refresh must not fold on from the view of the failed transaction (which holds the event
     * already), and the summary holds the revision once.
     */
    @Test
    void aRefreshWhoseTransactionRolledBackLeavesNoTraceInTheNextOne() throws Exception {
        String id = "pv-" + uuid().substring(0, 8);
        TopicProbe.publishAt(new ProposalSubmitted(id, "Rolled back " + id, "A commit that fails once", "alice",
                List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice", uuid(), T0);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> get("/proposals/" + id).getList("proposal.revisions.revision").size() == 1);
        String notCommitted = "pvl_projection_refreshes_total{folded=\"whole-log\",why=\"not-committed\"}";
        double wholeBefore = metric(notCommitted);
        failTheNextSummaryCommitOnce(id);
        try {
            TopicProbe.publishAt(new ProposalRevised(id, 2, "# spec 2", "second", List.of(), List.of()), "alice", uuid(),
                    T0.plusSeconds(3600));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                    get("/proposals/" + id).getList("proposal.revisions.revision").size() >= 2);
            assertThat(ReplayIT.exists("select 1 from \"fail_once_" + id + "\" where last_value >= 2")).isTrue();
            JsonPath stored = get("/proposals/" + id);
            assertThat(stored.getList("proposal.revisions.revision")).containsExactly(1, 2);
            assertThat(stored.getObject("proposal", Object.class))
                    .isEqualTo(get("/proposals/" + id + "?asOf=2999-01-01T00:00:00Z").get("proposal"));
            // The retry read the whole log, and said why on /q/metrics.
            assertThat(metric(notCommitted)).isGreaterThan(wholeBefore);
            // And the next event folds on as usual.
            TopicProbe.publishAt(new ProposalRevised(id, 3, "# spec 3", "third", List.of(), List.of()), "alice", uuid(),
                    T0.plusSeconds(7200));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    get("/proposals/" + id).getList("proposal.revisions.revision")).containsExactly(1, 2, 3));
        } finally {
            ReplayIT.sql("drop trigger \"fail_once_" + id + "\" on proposal_summaries");
        }
    }

    /**
     * A submission at T0 (revision 1) and revisions 2 to {@code last}, a minute apart, each with
     * these warnings.
     */
    static void publishRevisions(String id, int last, List<String> warnings) throws Exception {
        TopicProbe.publishAt(new ProposalSubmitted(id, "Revised often " + id, "Many revisions", "alice",
                List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice", uuid(), T0);
        for (int r = 2; r <= last; r++) {
            TopicProbe.publishAt(new ProposalRevised(id, r, "# spec " + r, "revision " + r, List.of(), warnings),
                    "alice", uuid(), T0.plusSeconds(60L * r));
        }
    }

    /**
     * Fails the first commit that writes this proposal's summary from now on, once: a deferred
     * trigger runs at the commit, after the refresh, and a sequence is not rolled back with it.
     * The retry cannot fold on from the view it kept, and reads the whole log.
     */
    static void failTheNextSummaryCommitOnce(String id) throws Exception {
        ReplayIT.sql("create sequence \"fail_once_" + id + "\"");
        ReplayIT.sql("""
                create or replace function fail_once() returns trigger language plpgsql as $$
                begin
                    if nextval(format('%I', 'fail_once_' || new.proposal_id)) = 1 then
                        raise exception 'the test fails this commit once';
                    end if;
                    return new;
                end $$""");
        ReplayIT.sql("create constraint trigger \"fail_once_" + id + "\" after update on proposal_summaries "
                + "deferrable initially deferred for each row when (new.proposal_id = '" + id + "') "
                + "execute function fail_once()");
    }

    /**
     * A view read whole (nothing known of what its summary was committed with) whose revision rows
     * are stored already writes only its new ones: the rows before stay as they were.
     */
    @Test
    void aViewReadWholeWritesOnlyTheRevisionRowsNotStoredYet() throws Exception {
        String id = "pv-" + uuid().substring(0, 8);
        int revisions = org.pvlifecycle.projection.persistence.ProposalViews.REVISIONS_IN_THE_DOCUMENT + 2;
        publishRevisions(id, revisions, List.of());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                get("/proposals/" + id).getList("proposal.revisions").size() == revisions);
        String firstRow = "select xmin::text from proposal_revisions where proposal_id = '" + id + "' and revision_index = 0";
        String written = ReplayIT.value(firstRow);
        failTheNextSummaryCommitOnce(id);
        try {
            TopicProbe.publishAt(new ProposalRevised(id, revisions + 1, "# spec last", "last", List.of(), List.of()),
                    "alice", uuid(), T0.plusSeconds(60L * revisions + 60));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                    get("/proposals/" + id).getList("proposal.revisions").size() == revisions + 1);
            assertThat(ReplayIT.exists("select 1 from \"fail_once_" + id + "\" where last_value >= 2")).isTrue();
            assertThat(proposalPart("/proposals/" + id)).isEqualTo(proposalPart("/proposals/" + id + "?asOf=2999-01-01T00:00:00Z"));
            assertThat(ReplayIT.value(firstRow)).isEqualTo(written);
        } finally {
            ReplayIT.sql("drop trigger \"fail_once_" + id + "\" on proposal_summaries");
        }
    }

}
