package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pages of {@code GET /proposals} most recently read, each kept only until the list model may
 * have changed: a page is answered again from memory while neither this instance began or ended
 * applying a batch of events ({@link #changing}) nor the stream's tail ({@link EventLogTail}) read
 * the log, or failed to, since the page was read. So a page is never older than what this instance
 * has applied, and never older than the tail's last look at the log for what other instances
 * applied (it looks at least at every tick of {@code pvl.stream.poll-interval}): no older than a
 * live stream, whose clients may read the list as soon as an event reaches them. With the database
 * away, the tail's next attempt ends every kept page, and the list answers 503 as before.
 *
 * <p>Why: a dashboard's list is read far more often than it changes, and each read cost PostgreSQL
 * as much CPU as the service spent answering it (55 % of a core at 1,900 lists/s).
 */
@ApplicationScoped
public class ListPages {
    /** The most pages kept; the one read longest ago goes first (a page holds 20 rows by default, 200 at most). */
    static final int KEPT = 64;

    /** What a list is asked for: its filters and its page. */
    public record Query(String stage, Boolean blocked, String q, int page, int size) {
    }

    /** A page as read, and what the list model's state was known to be just before it was read. */
    private record Kept(long changes, long tailReads, List<ProjectionRepository.ListedRow> rows) {
    }

    @Inject
    ProjectionRepository repository;

    @Inject
    EventLogTail tail;

    @Inject
    MeterRegistry registry;

    private final AtomicLong changes = new AtomicLong();
    private final Map<Query, Kept> kept = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Query, Kept> eldest) {
            return size() > KEPT;
        }
    };
    private Counter answeredFromMemory;
    private Counter answeredFromDatabase;

    @PostConstruct
    void meters() {
        answeredFromMemory = registry.counter("pvl.projection.list.pages", "read", "kept");
        answeredFromDatabase = registry.counter("pvl.projection.list.pages", "read", "database");
    }

    /**
     * Told as this instance begins applying a batch of events to the list model and again once it
     * ended (committed or not): the pages read before either are not answered again.
     */
    public void changing() {
        changes.incrementAndGet();
    }

    /** The page, from memory when nothing may have changed since it was read, otherwise from the database. */
    public Uni<List<ProjectionRepository.ListedRow>> listed(Query query) {
        // Taken before the read: a change that lands while it runs makes the page stale at once.
        long changesBefore = changes.get();
        long tailReadsBefore = tail.readsEnded();
        Kept page;
        synchronized (kept) {
            page = kept.get(query);
        }
        if (page != null && page.changes() == changesBefore && page.tailReads() == tailReadsBefore) {
            answeredFromMemory.increment();
            return Uni.createFrom().item(page.rows());
        }
        answeredFromDatabase.increment();
        return repository.listed(query.stage(), query.blocked(), query.q(), query.page(), query.size())
                .invoke(rows -> {
                    synchronized (kept) {
                        kept.put(query, new Kept(changesBefore, tailReadsBefore, rows));
                    }
                });
    }
}
