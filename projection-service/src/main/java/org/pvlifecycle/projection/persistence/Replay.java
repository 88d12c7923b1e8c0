package org.pvlifecycle.projection.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.consumer.TopicsFromTheStart;
import org.pvlifecycle.consumer.replay.ReplayWork;
import org.pvlifecycle.projection.domain.KeptFold;
import org.pvlifecycle.projection.domain.LoggedEvent;
import org.pvlifecycle.projection.domain.ProposalHistory;
import org.pvlifecycle.projection.domain.SummaryRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds the read models from the start of the topics without downtime. Every topic is read
 * from its beginning to the end it had when the replay started, and each event the log lacks is
 * added to it (existing positions, which SSE clients resume from, never change). The list model
 * is then built afresh in a table beside the live one, which keeps answering, from every event
 * logged up to a cut taken when no transaction was writing to the log; a short exclusive lock
 * catches up what the live consumers logged after the cut and swaps the tables. Reads wait for
 * that moment; they never fail. Runs on a thread of its own, over JDBC: it is a batch job.
 */
@ApplicationScoped
public class Replay implements ReplayWork {
    static final List<String> TOPICS = Topics.ALL;
    static final int BATCH = 500;
    /** The characters of text a batch of rebuilt rows holds at most before it is sent. */
    static final long BATCH_BYTES = 8L * 1024 * 1024;
    /** How long the replay's table locks are waited for at a time (see withBriefLocks). */
    static final Duration LOCK_WAIT = Duration.ofSeconds(2);
    static final Duration LOCK_PAUSE = Duration.ofMillis(500);
    /** About ten minutes of attempts; then the replay fails, and says why (GET /admin/replay). */
    static final int LOCK_ATTEMPTS = 240;
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    ProposalViews views;

    @Inject
    ReadModelChanges readModel;

    @Inject
    KeptFoldsConfig folds;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Override
    public void replay(Progress progress) throws Exception {
        readTopicsIntoTheLog(progress);
        long rebuilt;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long rebuiltUpTo = withBriefLocks(c, s -> {
                s.execute("drop table if exists proposal_summaries_next");
                s.execute("create table proposal_summaries_next (like proposal_summaries including all)");
                s.execute("drop table if exists proposal_revisions_next");
                s.execute("create table proposal_revisions_next (like proposal_revisions including all)");
                // The cut between the two passes. A position is drawn when an event is logged and
                // shows at its commit, so a live transaction still open now could commit an event
                // at or below the highest position seen after the first pass has read its
                // proposal, and the catch-up (above the cut) would miss it. This lock waits for
                // the transactions that are writing to the log and holds new ones back until the
                // commit below, a moment: every position up to the cut is then committed.
                s.execute("lock table event_log in share mode");
                ResultSet max = s.executeQuery("select coalesce(max(position), 0) from event_log");
                max.next();
                return max.getLong(1);
            });
            c.commit();
            rebuilt = rebuild(c, "_next", "select distinct proposal_id from event_log where position <= ?",
                    0, rebuiltUpTo);
            c.commit();
            // The pages and views kept before the swap are not answered after it (nor during it).
            readModel.mayHaveChanged();
            withBriefLocks(c, s -> {
                // The live consumers wait here for a moment; what they applied meanwhile is caught up.
                s.execute("lock table proposal_summaries, proposal_revisions in access exclusive mode");
                return null;
            });
            rebuilt += rebuild(c, "_next", "select distinct proposal_id from event_log where position > ?",
                    rebuiltUpTo, 0);
            try (Statement s = c.createStatement()) {
                for (String table : List.of("proposal_summaries", "proposal_revisions")) {
                    s.execute("alter table " + table + " rename to " + table + "_old");
                    s.execute("alter table " + table + "_next rename to " + table);
                    s.execute("drop table " + table + "_old");
                }
            }
            c.commit();
        } finally {
            readModel.mayHaveChanged();
        }
        progress.count("proposalsRebuilt", rebuilt);
    }

    /** Statements of one transaction that take a table lock. */
    interface Locking<T> {
        T run(Statement s) throws SQLException;
    }

    /**
     * Runs {@code work} in {@code c}'s transaction, its table locks waited for {@link #LOCK_WAIT}
     * at most, and again after a rollback and a pause while they are not granted. A lock request
     * that waits holds back every later one that conflicts with it: behind a session holding the
     * table for long (a vacuum against wraparound, a forgotten transaction), the replay's request
     * would stop every live consumer's write, or every read of the list, for as long. This way
     * they go on between attempts. Later statements of the transaction wait as long as they must.
     */
    static <T> T withBriefLocks(Connection c, Locking<T> work) throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (Statement s = c.createStatement()) {
                s.execute("set local lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'");
                T result = work.run(s);
                s.execute("set local lock_timeout = 0");
                return result;
            } catch (SQLException e) {
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || attempt == LOCK_ATTEMPTS) {
                    throw e;
                }
                c.rollback();
                Thread.sleep(LOCK_PAUSE.toMillis());
            }
        }
    }

    /** Reads every topic from its beginning to its end at the start into the log. */
    void readTopicsIntoTheLog(Progress progress) throws Exception {
        long[] added = {0};
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into event_log (event_id, topic, proposal_id, type, source, actor, occurred_at, sequence, payload)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (event_id) do nothing""")) {
                TopicsFromTheStart.read(bootstrapServers, TOPICS, BATCH, (batch, soFar) -> {
                    holdProposals(c, batch.stream().map(read -> read.event().subject()).distinct().toArray(String[]::new));
                    for (TopicsFromTheStart.Read read : batch) {
                        EventEnvelope<LifecycleEvent> e = read.event();
                        insert.setObject(1, e.id());
                        insert.setString(2, read.topic());
                        insert.setString(3, e.subject());
                        insert.setString(4, e.type().typeName());
                        insert.setString(5, e.source());
                        insert.setString(6, e.actor());
                        insert.setObject(7, e.time().atOffset(ZoneOffset.UTC));
                        insert.setLong(8, e.sequence());
                        insert.setString(9, EventJson.write(e.data()));
                        insert.addBatch();
                    }
                    for (int n : insert.executeBatch()) {
                        added[0] += Math.max(0, n);
                    }
                    c.commit();
                    progress.read(soFar.read(), soFar.unreadable());
                    progress.count("eventsAdded", added[0]);
                });
            }
        }
    }

    /**
     * Holds the batch's proposals as the live consumers do ({@link ProjectionRepository#holdProposals},
     * in the same order), so that every event of a proposal is logged under its hold, as
     * {@link ProposalFolds} counts on: an event added here at a position below one a live
     * transaction logged and folded meanwhile would be missed by every refresh after.
     */
    private static void holdProposals(Connection c, String[] proposalIds) throws SQLException {
        Positional holding = Positional.of(ProjectionRepository.HOLD_PROPOSALS);
        try (PreparedStatement hold = c.prepareStatement(holding.sql())) {
            holding.bind(hold, c.createArrayOf("text", proposalIds));
            hold.executeQuery().close();
        }
    }

    /**
     * Folds each proposal the query names into the tables named {@code proposal_summaries} and
     * {@code proposal_revisions} followed by {@code suffix}; returns how many.
     */
    int rebuild(Connection c, String suffix, String proposals, long after, long upTo) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(proposals)) {
            q.setLong(1, upTo > 0 ? upTo : after);
            ResultSet rs = q.executeQuery();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        Instant now = clock.instant();
        int rebuilt = 0;
        Positional upserting = Positional.of(ProjectionRepository.UPSERT_SUMMARY.formatted("proposal_summaries" + suffix));
        Positional inserting = Positional.of(ProposalDocuments.INSERT_REVISIONS.formatted("proposal_revisions" + suffix));
        try (PreparedStatement page = c.prepareStatement(FOLD_PAGE.sql());
             PreparedStatement upsert = c.prepareStatement(upserting.sql());
             PreparedStatement clear = c.prepareStatement("delete from proposal_revisions" + suffix + " where proposal_id = ?");
             PreparedStatement revisions = c.prepareStatement(inserting.sql())) {
            long batched = 0;
            for (String id : ids) {
                KeptFold fold = foldLog(page, id);
                ProposalHistory h = fold.current();
                if (h == null) {
                    continue;
                }
                long foldedUpTo = fold.upTo();
                SummaryRow row = ProjectionRepository.storedRow(h);
                ProposalViews.DocumentJson document = views.document(h);
                Object[] values = ProjectionRepository.summaryValues(row, now, document, views.listRow(row), foldedUpTo);
                upserting.bind(upsert, values);
                for (Object value : values) {
                    // A batch keeps its values until it is sent: what its texts hold is bounded too.
                    batched += value instanceof String text ? text.length() : 0;
                }
                upsert.addBatch();
                // Caught up under the lock, a proposal may have rows from the first pass.
                clear.setString(1, id);
                clear.addBatch();
                if (document.revisionsApart()) {
                    String[] items = h.revisions().stream().map(views::revision).toArray(String[]::new);
                    inserting.bind(revisions, id, 0, c.createArrayOf("text", items));
                    for (String item : items) {
                        batched += item.length();
                    }
                    revisions.addBatch();
                }
                rebuilt++;
                if (rebuilt % BATCH == 0 || batched >= BATCH_BYTES) {
                    upsert.executeBatch();
                    clear.executeBatch();
                    revisions.executeBatch();
                    batched = 0;
                }
            }
            upsert.executeBatch();
            clear.executeBatch();
            revisions.executeBatch();
        }
        return rebuilt;
    }

    /**
     * The proposal's log folded a page at a time, as {@link LogFolds#foldWhole} reads it: a log read
     * whole, with every payload, could be larger than the heap (a proposal with 2,000 objections
     * had a log of 400 MB, most of it eligibility changes that a later one supersedes).
     */
    private KeptFold foldLog(PreparedStatement page, String proposalId) throws SQLException {
        int pageEvents = Math.max(1, folds.pageEvents());
        KeptFold.Folding folding = new KeptFold.Folding(0);
        LoggedEvent after = null;
        while (true) {
            FOLD_PAGE.bind(page, LogFolds.pageParameters(proposalId, null, after, pageEvents));
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = page.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] row = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    rows.add(row);
                }
            }
            boolean more = LogFolds.morePages(rows, pageEvents);
            List<LoggedEvent> events = ProjectionRepository.foldableEvents(rows);
            rows.clear();
            // A policy's changes are logged under its own subject, which folds into no proposal.
            folding.add(events.stream().filter(e -> !(e.data() instanceof PolicyChanged)).toList());
            if (!more) {
                return folding.result();
            }
            after = events.get(events.size() - 1);
        }
    }

    private static final Positional FOLD_PAGE = Positional.of(LogFolds.FOLD_PAGE);

    /**
     * A statement written for the reactive client ({@code $1}, {@code $2}, each perhaps used more
     * than once) as JDBC's plain {@code ?}, with the number of the value each one takes.
     */
    record Positional(String sql, int[] numbers) {
        private static final Pattern NUMBERED = Pattern.compile("\\$(\\d+)");

        static Positional of(String sql) {
            Matcher m = NUMBERED.matcher(sql);
            StringBuilder jdbc = new StringBuilder();
            List<Integer> numbers = new ArrayList<>();
            while (m.find()) {
                numbers.add(Integer.parseInt(m.group(1)));
                m.appendReplacement(jdbc, "?");
            }
            m.appendTail(jdbc);
            return new Positional(jdbc.toString(), numbers.stream().mapToInt(Integer::intValue).toArray());
        }

        /** Sets {@code values} ($1 first) where the statement uses them. */
        void bind(PreparedStatement statement, Object... values) throws SQLException {
            for (int i = 0; i < numbers.length; i++) {
                statement.setObject(i + 1, values[numbers[i] - 1]);
            }
        }
    }
}
