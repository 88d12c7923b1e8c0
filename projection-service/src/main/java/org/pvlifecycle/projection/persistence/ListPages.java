package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pages of {@code GET /proposals} most recently read, each answered again from memory only
 * while the list model cannot have changed since it was read as far as this instance can tell:
 * <ul>
 * <li>no transaction of this instance applying events committed since ({@link #mayHaveChanged},
 * told by the consumer after each commit, and by a replay around its swap), so a read after this
 * instance's commit completed never gets a page from before it;</li>
 * <li>the streams' tail ({@link EventLogTail}) ended no read of the log since, whether it found
 * events or failed: what other instances applied shows once the tail has looked (it does at least
 * at every tick of {@code pvl.stream.poll-interval}), before any stream sends it; with the
 * database away, its first failed read ends every kept page and the list answers 503 as before;</li>
 * <li>and the page is younger than {@link #MAX_AGE}, should the tail's read hang (a database that
 * stopped answering without closing its connections).</li>
 * </ul>
 *
 * <p>Why: a dashboard's list is read far more often than it changes, and each read cost PostgreSQL
 * as much CPU as the service spent answering it (56 % of a core at 1,890 lists/s).
 */
@ApplicationScoped
public class ListPages {
    /**
     * The most rows kept over all pages (a page holds 20 rows by default, 200 at most; a row, a few
     * hundred bytes): the pages read longest ago go first.
     */
    static final int MAX_ROWS = 2_000;
    /**
     * The most pages kept, whatever their rows: a page with none (a search that finds nothing, a
     * page past the end) weighs nothing against {@link #MAX_ROWS}, and each asker's search text
     * would otherwise stay kept.
     */
    static final int MAX_PAGES = 256;
    /** The oldest a kept page may be, whatever the counts say. */
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    /** What a list is asked for: its filters and its page. */
    public record Query(String stage, Boolean blocked, String q, int page, int size) {
    }

    /** A page as read, and the counts and time taken just before it was read. */
    private record Kept(long changes, long tailReadsEnded, long readAtNanos, List<ProjectionRepository.ListedRow> rows) {
        boolean current(long changesNow, long tailReadsEndedNow, long nanosNow) {
            return changes == changesNow && tailReadsEnded == tailReadsEndedNow
                    && nanosNow - readAtNanos < MAX_AGE.toNanos();
        }
    }

    @Inject
    ProjectionRepository repository;

    @Inject
    EventLogTail tail;

    @Inject
    MeterRegistry registry;

    private final AtomicLong changes = new AtomicLong();
    /** In the order the pages were last answered; guarded by itself. */
    private final LinkedHashMap<Query, Kept> kept = new LinkedHashMap<>(64, 0.75f, true);
    private int keptRows;
    private Counter answeredFromMemory;
    private Counter answeredFromDatabase;

    @PostConstruct
    void meters() {
        answeredFromMemory = registry.counter("pvl.projection.list.pages", "read", "kept");
        answeredFromDatabase = registry.counter("pvl.projection.list.pages", "read", "database");
    }

    /** Told once a change to the list model has committed: no page read before is answered again. */
    public void mayHaveChanged() {
        changes.incrementAndGet();
    }

    /** The page, from memory when nothing may have changed since it was read, otherwise from the database. */
    public Uni<List<ProjectionRepository.ListedRow>> listed(Query query) {
        // Taken before the read: a change that lands while it runs makes the page stale at once.
        long changesBefore = changes.get();
        long tailReadsBefore = tail.readsEnded();
        long readAt = System.nanoTime();
        synchronized (kept) {
            Kept page = kept.get(query);
            if (page != null && page.current(changesBefore, tailReadsBefore, readAt)) {
                answeredFromMemory.increment();
                return Uni.createFrom().item(page.rows());
            }
        }
        answeredFromDatabase.increment();
        return repository.listed(query.stage(), query.blocked(), query.q(), query.page(), query.size())
                .map(rows -> {
                    List<ProjectionRepository.ListedRow> page = List.copyOf(rows);
                    keep(query, new Kept(changesBefore, tailReadsBefore, readAt, page));
                    return page;
                });
    }

    private void keep(Query query, Kept page) {
        synchronized (kept) {
            Kept replaced = kept.put(query, page);
            keptRows += page.rows().size() - (replaced == null ? 0 : replaced.rows().size());
            Iterator<Kept> oldestFirst = kept.values().iterator();
            while ((keptRows > MAX_ROWS || kept.size() > MAX_PAGES) && oldestFirst.hasNext()) {
                keptRows -= oldestFirst.next().rows().size();
                oldestFirst.remove();
            }
        }
    }
}
