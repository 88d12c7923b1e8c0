package org.pvlifecycle.projection.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.projection.domain.KeptFold;
import org.pvlifecycle.projection.domain.LoggedEvent;
import org.pvlifecycle.projection.domain.ProposalHistory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** A proposal's whole log, folded as it is read a page at a time: for a refresh with nothing kept, and for answers. */
@ApplicationScoped
public class LogFolds {
    @Inject
    KeptFoldsConfig folds;

    /**
     * The proposal's log folded, up to {@code asOf} when given, its last {@code tailSize} events
     * kept apart ({@link KeptFold}). Read a page at a time ({@link KeptFoldsConfig#pageEvents} events,
     * stopping at the one that brings their payload to {@link #FOLD_PAGE_BYTES}), each folded before the next is
     * read: a proposal of thousands of events read whole, by a few refreshes at once, had filled
     * the projection's heap. Read without the specs of submissions and revisions, which the fold
     * never reads, and without the payload of each eligibility-changed that a later one (up to
     * {@code asOf}) supersedes, which the fold keeps no more than the last ({@link LoggedEvent#data}
     * null): each of those carries every open objection, and a proposal with 2,000 objections had
     * a log of 400 MB.
     */
    public Uni<KeptFold> foldWhole(String proposalId, Instant asOf, int tailSize) {
        // A fold of its own for each subscription: the accumulator is not to be shared by two.
        return Uni.createFrom().deferred(() -> foldPages(proposalId, asOf, new KeptFold.Folding(tailSize), null))
                .map(KeptFold.Folding::result);
    }

    /**
     * {@link #foldWhole} for a read outside any transaction (an answer): its pages read in one
     * read-only transaction that sees one snapshot of the log. Each page on a connection of its
     * own could see an event committed between two pages and miss an earlier one committed
     * before it, a state the log never held.
     */
    public Uni<ProposalHistory> foldSnapshot(String proposalId, Instant asOf) {
        return SessionSql.inTransaction(() -> SessionSql.update("set transaction isolation level repeatable read, read only")
                .flatMap(v -> foldWhole(proposalId, asOf, 0)))
                .map(KeptFold::current);
    }

    /** The type whose superseded events a fold page reads without their payload; V16 names it too. */
    static final String ELIGIBILITY_CHANGED = EventType.ELIGIBILITY_CHANGED.typeName();

    /** The payload a page of {@link #foldWhole} reads before it stops (at the event that reaches it). */
    static final long FOLD_PAGE_BYTES = 2L * 1024 * 1024;

    private Uni<KeptFold.Folding> foldPages(String proposalId, Instant asOf, KeptFold.Folding folding, LoggedEvent after) {
        int pageEvents = Math.max(1, folds.pageEvents());
        return SessionSql.select(FOLD_PAGE, pageParameters(proposalId, asOf, after, pageEvents))
                .flatMap(rows -> {
                    boolean more = morePages(rows, pageEvents);
                    List<LoggedEvent> page = ProjectionRepository.foldableEvents(rows);
                    rows.clear();
                    folding.add(page);
                    return more ? foldPages(proposalId, asOf, folding, page.get(page.size() - 1))
                            : Uni.createFrom().item(folding);
                });
    }

    /** The values of {@link #FOLD_PAGE} for the page after {@code after} (null: the first page). */
    static Object[] pageParameters(String proposalId, Instant asOf, LoggedEvent after, int pageEvents) {
        // Bounds always given (PostgreSQL's infinity, and its earliest time), so that every page is found by index.
        OffsetDateTime until = asOf == null ? OffsetDateTime.MAX : asOf.atOffset(ZoneOffset.UTC);
        OffsetDateTime afterTime = after == null ? OffsetDateTime.MIN : after.time().atOffset(ZoneOffset.UTC);
        long afterPosition = after == null ? 0 : after.position();
        return new Object[] {proposalId, until, afterTime, afterPosition, (long) pageEvents, FOLD_PAGE_BYTES};
    }

    /** Whether the log may go on past this page of {@link #FOLD_PAGE}: it is full, by events or by bytes. */
    static boolean morePages(List<Object[]> rows, int pageEvents) {
        return !rows.isEmpty() && (rows.size() == pageEvents
                || ((Number) rows.get(rows.size() - 1)[11]).longValue() >= FOLD_PAGE_BYTES);
    }

    /**
     * A page of a proposal's log in time order: up to $2, after the event at $3 and $4, at most $5
     * events and, past the first, $6 bytes of payload (summed from the stored sizes, as
     * {@link LogSlices} does). The payload is null for each eligibility-changed before the latest,
     * which a page holding one looks up in the partial index of eligibility changes
     * ({@code event_log_eligibility_by_proposal}, V16): found through the proposal's index, it
     * was reached by walking back past every later event (10.4 ms behind 4,000 revisions, against
     * 0.7 ms). The type is written into the statement, not passed, so that the planner can match
     * the index's predicate in the generic plan the services use. The limit is taken before the
     * sizes are summed, so that the page is read in index order and no further: summed over the
     * rest of the log first, each page had sorted all of it (on disk, past {@code work_mem}), and
     * a log of 9,000 events took a second to read.
     */
    static final String FOLD_PAGE = """
            select position, event_id, topic, proposal_id, type, source, actor, occurred_at, sequence, payload,
                bytes, running
            from (select *, coalesce(octet_length(payload), 0) as bytes,
                        sum(coalesce(octet_length(payload), 0)) over (order by occurred_at, position) as running
                  from (select position, event_id, topic, proposal_id, type, source, actor, occurred_at, sequence,
                            case when type = '%1$s' and (occurred_at, position) < (
                                    select l.occurred_at, l.position from event_log l
                                    where l.proposal_id = $1 and l.type = '%1$s'
                                        and l.occurred_at <= $2
                                    order by l.occurred_at desc, l.position desc limit 1)
                                then null else payload end as payload
                        from event_log
                        where proposal_id = $1 and occurred_at <= $2 and (occurred_at, position) > ($3, $4)
                        order by occurred_at, position limit $5) as lean
                  order by occurred_at, position) as page
            where running - bytes < $6 order by occurred_at, position""".formatted(ELIGIBILITY_CHANGED);

}
