package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.projection.domain.ProposalHistory;

import java.util.List;

/**
 * The proposals' full views as stored: a view's document, whole or with its revisions one row
 * each ({@link ProposalViews#REVISIONS_IN_THE_DOCUMENT}), written with its summary
 * ({@link ProjectionRepository#saveSummary}) and read as one JSON document for
 * {@code GET /proposals/{id}}. The views most recently read are answered again from memory while
 * the read model cannot have changed since ({@link ReadModelChanges}), as the list's pages are: a
 * dashboard reads a proposal's view far more often than the proposal changes.
 */
@ApplicationScoped
public class ProposalDocuments {
    /**
     * The most bytes of views kept (a view is a few KB, more for a long history of revisions,
     * objections and acks): the views read longest ago go first.
     */
    static final long MAX_BYTES = 8L * 1024 * 1024;
    /** The most views kept, whatever their size. */
    static final int MAX_VIEWS = 1_000;

    @Inject
    Pool pool;

    @Inject
    ProposalViews views;

    @Inject
    ReadModelChanges changes;

    @Inject
    MeterRegistry registry;

    private KeptReads<String, Buffer> kept;

    @PostConstruct
    void keptViews() {
        kept = new KeptReads<>(changes, Buffer::length, MAX_BYTES, MAX_VIEWS,
                registry.counter("pvl.projection.views", "read", "kept"),
                registry.counter("pvl.projection.views", "read", "database"));
    }

    /**
     * The revision rows of {@code h}, whose document is {@code document}, written in the
     * transaction of its summary. {@code committed} is the view the summary was last committed
     * with, when known: the revision rows it has are stored already, and only those after them are
     * written. A view whose revisions do not start with those (or an unknown one) has its revision
     * rows written again; a view whose document holds its revisions has none.
     */
    public Uni<Void> saveRevisions(ProposalHistory h, ProposalHistory committed, ProposalViews.DocumentJson document) {
        int rows = storedRows(committed, h.revisions());
        List<ProposalHistory.Revision> revisions = h.revisions();
        if (!document.revisionsApart()) {
            return rows == 0 ? Uni.createFrom().voidItem() : writeRevisions(h.id(), 0, List.of(), true);
        }
        return rows < 0 ? rewriteRevisions(h.id(), revisions)
                : writeRevisions(h.id(), rows, revisions.subList(rows, revisions.size()), false);
    }

    /**
     * The revision rows of a view whose stored rows are not known here (its fold was read whole):
     * only those after the stored ones, when the stored ones are its first (the same count and
     * digest), else all of them again. A proposal's revisions only grow at their end, so the rows
     * are nearly always there already: rewriting 9,000 of them at each whole fold had been most of
     * its transaction.
     */
    private Uni<Void> rewriteRevisions(String proposalId, List<ProposalHistory.Revision> revisions) {
        String[] items = revisions.stream().map(views::revision).toArray(String[]::new);
        return SessionSql.select(STORED_REVISIONS, proposalId).flatMap(found -> {
            int stored = ((Number) found.get(0)[0]).intValue();
            if (stored == 0) {
                return insertRevisions(proposalId, 0, items);
            }
            boolean numberedFromZero = ((Number) found.get(0)[2]).intValue() == stored - 1;
            if (numberedFromZero && stored <= items.length && found.get(0)[1].equals(digest(items, stored))) {
                return insertRevisions(proposalId, stored, java.util.Arrays.copyOfRange(items, stored, items.length));
            }
            return clearRevisions(proposalId).flatMap(deleted -> insertRevisions(proposalId, 0, items));
        });
    }

    /**
     * How many revision rows a proposal has, the MD5 of their items joined by commas in order, and
     * the highest index (one less than the count when they are numbered from 0 without a gap).
     */
    private static final String STORED_REVISIONS = """
            select count(*), md5(coalesce(string_agg(json, ',' order by revision_index), '')),
                coalesce(max(revision_index), -1)
            from proposal_revisions where proposal_id = $1""";

    /** {@link #STORED_REVISIONS}'s digest of the first {@code count} items. */
    static String digest(String[] items, int count) {
        try {
            java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    md5.update((byte) ',');
                }
                md5.update(items[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(md5.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }

    private Uni<Void> insertRevisions(String proposalId, int from, String[] items) {
        return items.length == 0 ? Uni.createFrom().voidItem()
                : SessionSql.update(INSERT_REVISIONS.formatted("proposal_revisions"), proposalId, from, items)
                        .replaceWithVoid();
    }

    /**
     * How many revision rows of the proposal are stored, when its summary was last committed with
     * {@code committed}, all of them the first of {@code now}'s; -1 when that is not known (no view,
     * or one whose revisions {@code now} does not start with).
     */
    static int storedRows(ProposalHistory committed, List<ProposalHistory.Revision> now) {
        if (committed == null) {
            return -1;
        }
        List<ProposalHistory.Revision> stored = committed.revisions();
        if (stored.size() <= ProposalViews.REVISIONS_IN_THE_DOCUMENT) {
            return 0;
        }
        if (stored.size() > now.size()) {
            return -1;
        }
        for (int i = 0; i < stored.size(); i++) {
            if (!java.util.Objects.equals(stored.get(i), now.get(i))) {
                return -1;
            }
        }
        return stored.size();
    }

    /** The revision rows of a view, from index {@code from}; {@code replacing} deletes the proposal's rows first. */
    private Uni<Void> writeRevisions(String proposalId, int from, List<ProposalHistory.Revision> revisions,
            boolean replacing) {
        Uni<Void> cleared = replacing ? clearRevisions(proposalId) : Uni.createFrom().voidItem();
        String[] items = revisions.stream().map(views::revision).toArray(String[]::new);
        return cleared.flatMap(v -> insertRevisions(proposalId, from, items));
    }

    private static Uni<Void> clearRevisions(String proposalId) {
        return SessionSql.update("delete from proposal_revisions where proposal_id = $1", proposalId).replaceWithVoid();
    }

    /** Revision rows: the proposal ($1), the index of the first ($2) and the items' JSON in order ($3). */
    static final String INSERT_REVISIONS = """
            insert into %s (proposal_id, revision_index, json)
            select $1, $2 + (items.n - 1)::int, items.json from unnest($3::text[]) with ordinality as items (json, n)""";

    /**
     * A view as stored: its whole document, or whether its revisions are apart (then nothing else).
     * The read of a short proposal's view, the service's busiest, stays this one statement: the
     * join of the rows, even when not needed, made it a tenth slower (its planning, each time).
     */
    private static final String READ_DOCUMENT = """
            select convert_to(document, 'UTF8'), document is null and document_before_revisions is not null
            from proposal_summaries where proposal_id = $1""";

    /** A view with its revisions apart: its two parts with the items of its revisions between them, in order. */
    private static final String READ_DOCUMENT_APART = """
            select convert_to(s.document_before_revisions
                    || coalesce((select string_agg(r.json, ',' order by r.revision_index) from proposal_revisions r
                                 where r.proposal_id = s.proposal_id), '')
                    || s.document_after_revisions, 'UTF8')
            from proposal_summaries s where s.proposal_id = $1""";

    /**
     * The proposal's full view as written with its last event, as UTF-8 bytes; {@code null} when
     * there is none yet. Not to be changed: a view kept is given to every read of it.
     */
    public Uni<Buffer> document(String proposalId) {
        return kept.answer(proposalId, () -> stored(proposalId));
    }

    /**
     * {@link #document}, read from the database: one prepared statement on the reactive client,
     * without a session to open or a native query to interpret (both showed in its profile). Read
     * as bytes ({@code convert_to}, sent in binary): the answer is written from them as they are,
     * where a text column would be decoded into a string only to be encoded again for the answer
     * (a fifth of the read's CPU).
     */
    private Uni<Buffer> stored(String proposalId) {
        return pool.withConnection(connection -> connection.preparedQuery(READ_DOCUMENT).execute(Tuple.of(proposalId))
                .flatMap(rows -> {
                    var first = rows.iterator();
                    if (!first.hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = first.next();
                    if (!row.getBoolean(1)) {
                        return Uni.createFrom().item((Buffer) row.getValue(0));
                    }
                    // Read on the same connection; an event committed in between shows here already.
                    return connection.preparedQuery(READ_DOCUMENT_APART).execute(Tuple.of(proposalId)).map(apart -> {
                        var only = apart.iterator();
                        return only.hasNext() ? (Buffer) only.next().getValue(0) : null;
                    });
                }));
    }
}
