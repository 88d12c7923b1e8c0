package org.pvlifecycle.projection.persistence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.UnreadableEventException;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.projection.domain.LoggedEvent;
import org.pvlifecycle.projection.domain.ProposalHistory;
import org.pvlifecycle.projection.domain.SummaryRow;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The projection's tables: its copy of the event log and the list read model. */
@ApplicationScoped
public class ProjectionRepository {
    static final String COLUMNS = "position, event_id, topic, proposal_id, type, source, actor, occurred_at, sequence, payload";

    @Inject
    ProposalViews views;

    @Inject
    ProposalDocuments documents;

    /**
     * The holds of {@link #holdProposals}, sorted by key: the replay takes them with the same
     * statement. Naming the read model's tables, it also waits, before any position is drawn, while
     * the replay's swap holds them: a transaction that drew its positions first and then waited
     * there would leave a hole in the log that a later, unhindered transaction (a policy change,
     * which refreshes no summary) commits above, and the streams' tail, after waiting a little for
     * the hole ({@code EventLogTail.PATIENCE}), would go on without it for good.
     */
    static final String HOLD_PROPOSALS = "select count(*) from (select pg_advisory_xact_lock(k) from "
            + "(select distinct hashtext(p) as k from unnest($1::text[]) as ids (p) order by k) as sorted) as held "
            + "where not exists (select from proposal_summaries where proposal_id = '') "
            + "and not exists (select from proposal_revisions where proposal_id = '')";

    /**
     * Holds these proposals for the rest of the transaction, in the order of the locks' keys. The
     * four topics are consumed in parallel, and each transaction refreshes its proposals' summaries
     * from their logs: without the holds, two transactions could each fold a log without the
     * other's uncommitted event, and the summary written last would miss one. Held first, the
     * second reads after the first commits. Taken before the events' positions are drawn, so a
     * proposal's positions follow its commits ({@link ProposalFolds} counts on it). All of a
     * batch's proposals are held before it applies any, in an order every batch shares, so two
     * topics' batches never each hold a proposal the other waits for.
     */
    public Uni<Void> holdProposals(List<String> proposalIds) {
        if (proposalIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return SessionSql.select(HOLD_PROPOSALS, (Object) proposalIds.toArray(String[]::new)).replaceWithVoid();
    }

    /**
     * Keeps the events in the log, in their order, in one statement of the caller's transaction;
     * how many were new to it (one there already is a redelivery, and stays as it was).
     */
    public Uni<Integer> log(List<EventEnvelope<LifecycleEvent>> events, String topic) {
        int count = events.size();
        UUID[] ids = new UUID[count];
        String[] proposals = new String[count];
        String[] types = new String[count];
        String[] sources = new String[count];
        String[] actors = new String[count];
        OffsetDateTime[] times = new OffsetDateTime[count];
        Long[] sequences = new Long[count];
        String[] payloads = new String[count];
        for (int i = 0; i < count; i++) {
            EventEnvelope<LifecycleEvent> e = events.get(i);
            ids[i] = e.id();
            proposals[i] = e.subject();
            types[i] = e.type().typeName();
            sources[i] = e.source();
            actors[i] = e.actor();
            times[i] = e.time().atOffset(ZoneOffset.UTC);
            sequences[i] = e.sequence();
            payloads[i] = EventJson.write(e.data());
        }
        // Ordered by the events' places: the rows draw their positions in that order.
        return SessionSql.update("""
                        insert into event_log (event_id, topic, proposal_id, type, source, actor, occurred_at, sequence, payload)
                        select e.event_id, $1, e.proposal_id, e.type, e.source, e.actor, e.occurred_at, e.sequence, e.payload
                        from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
                                    $8::bigint[], $9::text[]) with ordinality
                             as e (event_id, proposal_id, type, source, actor, occurred_at, sequence, payload, place)
                        order by e.place
                        on conflict (event_id) do nothing""",
                topic, ids, proposals, types, sources, actors, times, sequences, payloads);
    }

    /**
     * The events of a proposal after {@code position} (foldable, in time order), and the position
     * its summary was folded up to ({@code null} when it has none, or none said so yet).
     */
    public record Newer(List<LoggedEvent> events, Long foldedUpTo) {
    }

    /**
     * {@link Newer}: one statement, answered with the summary's position even when nothing is
     * newer. Both found by index, whatever the length of the proposal's log.
     */
    public Uni<Newer> foldableAfter(String proposalId, long position) {
        return SessionSql.select("select s.folded_up_to, " + COLUMNS_OF_E + " from "
                        + "(select (select folded_up_to from proposal_summaries where proposal_id = $1) as folded_up_to) s "
                        + "left join event_log e on e.proposal_id = $1 and e.position > $2 "
                        + "order by e.occurred_at, e.position", proposalId, position)
                .map(rows -> {
                    Long foldedUpTo = rows.get(0)[0] == null ? null : ((Number) rows.get(0)[0]).longValue();
                    List<Object[]> found = new ArrayList<>(rows.size());
                    for (Object[] row : rows) {
                        if (row[1] != null) {
                            found.add(java.util.Arrays.copyOfRange(row, 1, row.length));
                        }
                    }
                    return new Newer(events(found, FOLD_READER), foldedUpTo);
                });
    }

    private static final String COLUMNS_OF_E = java.util.Arrays.stream(COLUMNS.split(", "))
            .map(column -> "e." + column).collect(java.util.stream.Collectors.joining(", "));

    /** The position of the newest event in the log, 0 when it is empty. */
    public Uni<Long> lastPosition() {
        return SessionSql.select("select coalesce(max(position), 0) from event_log")
                .map(rows -> ((Number) rows.get(0)[0]).longValue());
    }

    /** Every event of the given types, in time order (for statistics and the objection list). */
    public Uni<List<LoggedEvent>> ofTypes(List<String> types, String proposal) {
        String[] typeNames = types.toArray(String[]::new);
        Uni<List<Object[]>> rows = proposal == null
                ? SessionSql.select("select " + COLUMNS + " from event_log where type = any($1::text[]) "
                        + "order by occurred_at, position", (Object) typeNames)
                : SessionSql.select("select " + COLUMNS + " from event_log where type = any($1::text[]) and proposal_id = $2 "
                        + "order by occurred_at, position", typeNames, proposal);
        return rows.map(ProjectionRepository::events);
    }

    /** How many proposals' rows say their decision is overdue ({@link SummaryRow#decisionOverdue}). */
    public Uni<Long> decisionsOverdue() {
        return SessionSql.select("select count(*) from proposal_summaries where decision_overdue")
                .map(rows -> ((Number) rows.get(0)[0]).longValue());
    }

    static final String UPSERT_SUMMARY = """
            insert into %s (proposal_id, title, summary, owner, stage, stage_entered_at, eligible,
                blocker_count, open_objections, acks, decision_overdue, blockers, next_deadline, updated_at, document,
                row_before_time_in_stage, row_after_time_in_stage, folded_up_to, document_before_revisions,
                document_after_revisions)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::timestamptz, $14, $15, $16, $17, $18, $19, $20)
            on conflict (proposal_id) do update set title = excluded.title, summary = excluded.summary,
                owner = excluded.owner, stage = excluded.stage, stage_entered_at = excluded.stage_entered_at,
                eligible = excluded.eligible, blocker_count = excluded.blocker_count,
                open_objections = excluded.open_objections, acks = excluded.acks,
                decision_overdue = excluded.decision_overdue, blockers = excluded.blockers,
                next_deadline = excluded.next_deadline, updated_at = excluded.updated_at, document = excluded.document,
                row_before_time_in_stage = excluded.row_before_time_in_stage,
                row_after_time_in_stage = excluded.row_after_time_in_stage,
                folded_up_to = excluded.folded_up_to, document_before_revisions = excluded.document_before_revisions,
                document_after_revisions = excluded.document_after_revisions""";

    /**
     * The proposal's row of the list as it is stored: its next deadline to the microsecond, as
     * PostgreSQL keeps it. The row's ready JSON ({@link ProposalViews#listRow}) is written from this
     * row, so it shows the deadline the column holds, as the list read from the column did; a
     * deadline with nanoseconds (from a clock) would otherwise show them in the JSON only.
     */
    public static SummaryRow storedRow(ProposalHistory h) {
        SummaryRow r = SummaryRow.of(h);
        return r.nextDeadline() == null ? r : new SummaryRow(r.id(), r.title(), r.summary(), r.owner(), r.stage(),
                r.stageEnteredAt(), r.eligible(), r.blockerCount(), r.openObjections(), r.acks(), r.decisionOverdue(),
                r.blockers(), r.nextDeadline().truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * The values of a summary row, in the order of {@link #UPSERT_SUMMARY}'s parameters;
     * {@code document} is the proposal's full view as JSON, whole or with its revisions apart
     * ({@link ProposalDocuments#saveRevisions}), {@code listRow} the row's JSON in the list ({@link #listed}), both
     * written from the same row; {@code foldedUpTo} the highest position of the events folded into
     * it ({@link ProposalFolds}).
     */
    public static Object[] summaryValues(SummaryRow r, Instant now, ProposalViews.DocumentJson document,
            ProposalViews.ListRowJson listRow, long foldedUpTo) {
        return new Object[] {r.id(), r.title(), r.summary(), r.owner(), r.stage(),
                r.stageEnteredAt().atOffset(ZoneOffset.UTC), r.eligible(), r.blockerCount(), r.openObjections(),
                r.acks(), r.decisionOverdue(), EventJson.mapper().valueToTree(r.blockers()).toString(),
                r.nextDeadline() == null ? null : r.nextDeadline().atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC),
                document.whole(), listRow.beforeTimeInStage(), listRow.afterTimeInStage(), foldedUpTo,
                document.beforeRevisions(), document.afterRevisions()};
    }

    /**
     * The proposal's row of the list (with its ready JSON) and its full view, as of {@code h}, the
     * fold of its events up to position {@code foldedUpTo}. {@code committed} is the view its
     * summary was last committed with, when known: the revision rows it has are stored already, and
     * only those after them are written. A view whose revisions do not start with those (or an
     * unknown one) has its revision rows written again.
     */
    public Uni<Void> saveSummary(ProposalHistory h, ProposalHistory committed, long foldedUpTo, Instant now) {
        SummaryRow row = storedRow(h);
        ProposalViews.DocumentJson document = views.document(h);
        Uni<Integer> saved = SessionSql.update(UPSERT_SUMMARY.formatted("proposal_summaries"),
                summaryValues(row, now, document, views.listRow(row), foldedUpTo));
        return saved.flatMap(v -> documents.saveRevisions(h, committed, document));
    }

    /**
     * A row of the list as read: when it entered its stage (its timeInStage is counted from it) and
     * its ready JSON ({@link ProposalViews#listRow}) as UTF-8 bytes, the two parts around its
     * timeInStage; or, for a row refreshed before it had one ({@code columns} not null), its columns.
     */
    public record ListedRow(Instant stageEnteredAt, Buffer beforeTimeInStage, Buffer afterTimeInStage,
            SummaryRow columns) {
    }

    /** The columns {@link SummaryRow} is read from. */
    private static final String SUMMARY_COLUMNS = "proposal_id, title, summary, owner, stage, stage_entered_at, "
            + "eligible, blocker_count, open_objections, acks, decision_overdue, blockers, next_deadline";

    /**
     * The list view, filtered and paged, in a stable order (by id). Each row's ready JSON is read as
     * bytes and written into the answer as it is (see {@link ProposalDocuments#document}). A row refreshed before V13
     * gave it one has none until its next event: only then are the columns of such rows read, by a
     * second query, so the page's query selects nothing else (the columns, selected for those rows
     * alone, had cost PostgreSQL a fifth of the query).
     */
    public Uni<List<ListedRow>> listed(String stage, Boolean blocked, String q, int page, int size) {
        StringBuilder sql = new StringBuilder("select proposal_id, stage_entered_at, "
                + "convert_to(row_before_time_in_stage, 'UTF8'), convert_to(row_after_time_in_stage, 'UTF8') "
                + "from proposal_summaries where true");
        List<Object> parameters = new ArrayList<>();
        if (stage != null) {
            parameters.add(stage);
            sql.append(" and stage = $").append(parameters.size());
        }
        if (blocked != null) {
            sql.append(blocked ? " and blocker_count > 0" : " and blocker_count = 0");
        }
        if (q != null && !q.isBlank()) {
            parameters.add("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            int n = parameters.size();
            sql.append(" and (proposal_id ilike $").append(n).append(" or title ilike $").append(n)
                    .append(" or summary ilike $").append(n).append(')');
        }
        parameters.add((long) size);
        sql.append(" order by proposal_id limit $").append(parameters.size());
        parameters.add((long) page * size);
        sql.append(" offset $").append(parameters.size());
        return SessionSql.select(sql.toString(), parameters.toArray()).flatMap(rows -> {
            String[] notReady = rows.stream().filter(r -> r[2] == null || r[3] == null).map(r -> (String) r[0])
                    .toArray(String[]::new);
            Uni<Map<String, SummaryRow>> columns = notReady.length == 0 ? Uni.createFrom().item(Map.of())
                    : SessionSql.select("select " + SUMMARY_COLUMNS + " from proposal_summaries where proposal_id = any($1)",
                            (Object) notReady).map(ProjectionRepository::summaryRowsById);
            return columns.map(byId -> {
                List<ListedRow> listed = new ArrayList<>(rows.size());
                for (Object[] r : rows) {
                    if (r[2] != null && r[3] != null) {
                        listed.add(new ListedRow(SqlTimes.instant(r[1]), (Buffer) r[2], (Buffer) r[3], null));
                    } else if (byId.containsKey((String) r[0])) {
                        // As it is at the second query: an event in between shows here already.
                        SummaryRow row = byId.get((String) r[0]);
                        listed.add(new ListedRow(row.stageEnteredAt(), null, null, row));
                    }
                    // No row is deleted (a replay fills a new table and swaps it in whole), so
                    // every id of the page is found again.
                }
                return listed;
            });
        });
    }

    private static Map<String, SummaryRow> summaryRowsById(List<Object[]> rows) {
        Map<String, SummaryRow> byId = new java.util.HashMap<>();
        for (Object[] r : rows) {
            byId.put((String) r[0], new SummaryRow((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                    (String) r[4], SqlTimes.instant(r[5]), (Boolean) r[6], ((Number) r[7]).intValue(),
                    ((Number) r[8]).intValue(), ((Number) r[9]).intValue(), (Boolean) r[10],
                    blockerLines((String) r[11]), r[12] == null ? null : SqlTimes.instant(r[12])));
        }
        return byId;
    }

    private static List<SummaryRow.BlockerLine> blockerLines(String json) {
        try {
            return List.of(EventJson.mapper().readValue(json, SummaryRow.BlockerLine[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable blockers", e);
        }
    }

    public static List<LoggedEvent> events(List<Object[]> rows) {
        return events(rows, EventJson.mapper());
    }

    /**
     * Reads payloads without the specs of submissions and revisions: Jackson skips the field
     * instead of building a string of up to 4 MiB, and what is kept holds none.
     */
    private static final ObjectMapper FOLD_READER = EventJson.mapper().copy()
            .addMixIn(ProposalSubmitted.class, WithoutSpec.class)
            .addMixIn(ProposalRevised.class, WithoutSpec.class);

    @JsonIgnoreProperties("spec")
    private interface WithoutSpec {
    }

    /** {@link #events}, read as {@link #foldable} reads them. */
    public static List<LoggedEvent> foldableEvents(List<Object[]> rows) {
        return events(rows, FOLD_READER);
    }

    private static List<LoggedEvent> events(List<Object[]> rows, ObjectMapper reader) {
        List<LoggedEvent> events = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            EventType type = EventType.byName((String) r[4]).orElseThrow();
            LifecycleEvent data = r[9] == null ? null : read(reader, (String) r[9], type.payloadType());
            events.add(new LoggedEvent(((Number) r[0]).longValue(), (UUID) r[1], (String) r[2], type, (String) r[5],
                    (String) r[3], (String) r[6], SqlTimes.instant(r[7]), ((Number) r[8]).longValue(), data));
        }
        return events;
    }


    private static LifecycleEvent read(ObjectMapper reader, String json, Class<? extends LifecycleEvent> type) {
        try {
            return reader.readValue(json, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UnreadableEventException("payload does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
