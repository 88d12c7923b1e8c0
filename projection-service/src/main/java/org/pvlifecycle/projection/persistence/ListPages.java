package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The pages of {@code GET /proposals} most recently read, each answered again from memory only
 * while the list model cannot have changed since it was read as far as this instance can tell
 * ({@link ReadModelChanges}).
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

    /** What a list is asked for: its filters and its page. */
    public record Query(String stage, Boolean blocked, String q, int page, int size) {
    }

    @Inject
    ProjectionRepository repository;

    @Inject
    ReadModelChanges changes;

    @Inject
    MeterRegistry registry;

    private KeptReads<Query, List<ProjectionRepository.ListedRow>> kept;

    @PostConstruct
    void keptPages() {
        kept = new KeptReads<>(changes, List::size, MAX_ROWS, MAX_PAGES,
                registry.counter("pvl.projection.list.pages", "read", "kept"),
                registry.counter("pvl.projection.list.pages", "read", "database"));
    }

    /** The page, from memory when nothing may have changed since it was read, otherwise from the database. */
    public Uni<List<ProjectionRepository.ListedRow>> listed(Query query) {
        return kept.answer(query, () -> repository.listed(query.stage(), query.blocked(), query.q(), query.page(),
                query.size()).map(List::copyOf));
    }
}
