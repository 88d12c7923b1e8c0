package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link ListPages} answers a page from memory and when it reads the database again. The
 * database's side is a counting source and the tail's a counter moved by hand, so that a commit or
 * a tail read can be put exactly before, during or after a page's read (ProposalListIT has the
 * same rules end to end).
 */
class ListPagesTest {
    private static final ListPages.Query FIRST_PAGE = new ListPages.Query("DESIGN", null, null, 0, 20);

    private final AtomicInteger databaseReads = new AtomicInteger();
    private final AtomicLong tailChangesSeen = new AtomicLong();
    private ListPages pages;

    @BeforeEach
    void pages() {
        pages = new ListPages();
        pages.registry = new SimpleMeterRegistry();
        pages.repository = new ProjectionRepository() {
            @Override
            public Uni<List<ListedRow>> listed(String stage, Boolean blocked, String q, int page, int size) {
                databaseReads.incrementAndGet();
                return Uni.createFrom().item(q == null ? rows(size) : new ArrayList<>());
            }
        };
        pages.changes = new ReadModelChanges();
        pages.changes.config = () -> Duration.ofSeconds(1);
        pages.changes.tail = new EventLogTail() {
            @Override
            public long changesSeen() {
                return tailChangesSeen.get();
            }
        };
        pages.keptPages();
    }

    @Test
    void aPageReadAgainWhileNothingChangedIsAnsweredFromMemory() {
        List<ProjectionRepository.ListedRow> first = read(FIRST_PAGE);
        assertThat(read(FIRST_PAGE)).isEqualTo(first);
        assertThat(databaseReads).hasValue(1);
        read(new ListPages.Query("DESIGN", null, null, 1, 20));
        assertThat(databaseReads).as("another page is read").hasValue(2);
    }

    @Test
    void aCommitOfThisInstanceAfterThePageWasReadEndsIt() {
        read(FIRST_PAGE);
        pages.changes.mayHaveChanged();
        read(FIRST_PAGE);
        assertThat(databaseReads).hasValue(2);
    }

    @Test
    void aCommitWhileThePageIsBeingReadEndsItToo() {
        Uni<List<ProjectionRepository.ListedRow>> reading = pages.listed(FIRST_PAGE);
        pages.changes.mayHaveChanged();
        reading.await().indefinitely();
        read(FIRST_PAGE);
        assertThat(databaseReads).as("the page read during the commit may predate it").hasValue(2);
        read(FIRST_PAGE);
        assertThat(databaseReads).hasValue(2);
    }

    @Test
    void eventsTheTailFoundInTheLogEndThePagesReadBeforeIt() {
        read(FIRST_PAGE);
        tailChangesSeen.incrementAndGet();
        read(FIRST_PAGE);
        assertThat(databaseReads).hasValue(2);
    }

    @Test
    void aPageOlderThanItsMaximumAgeIsReadAgain() throws InterruptedException {
        read(FIRST_PAGE);
        Thread.sleep(pages.changes.config.maxAge().toMillis() + 100);
        read(FIRST_PAGE);
        assertThat(databaseReads).hasValue(2);
    }

    @Test
    void theRowsKeptStayWithinTheirBudgetThePageAnsweredLongestAgoGoingFirst() {
        int pagesOf200 = ListPages.MAX_ROWS / 200;
        for (int page = 0; page < pagesOf200; page++) {
            read(new ListPages.Query(null, null, null, page, 200));
        }
        read(new ListPages.Query(null, null, null, 0, 200));
        assertThat(databaseReads).as("all fit").hasValue(pagesOf200);
        // One more page: the one answered longest ago (page 1; page 0 was just answered) goes.
        read(new ListPages.Query(null, null, null, pagesOf200, 200));
        read(new ListPages.Query(null, null, null, 0, 200));
        assertThat(databaseReads).hasValue(pagesOf200 + 1);
        read(new ListPages.Query(null, null, null, 1, 200));
        assertThat(databaseReads).hasValue(pagesOf200 + 2);
    }

    @Test
    void pagesWithoutRowsAreKeptWithinTheirOwnBudget() {
        for (int i = 0; i <= ListPages.MAX_PAGES; i++) {
            read(new ListPages.Query(null, null, "nothing matches " + i, 0, 20));
        }
        assertThat(databaseReads).hasValue(ListPages.MAX_PAGES + 1);
        read(new ListPages.Query(null, null, "nothing matches " + ListPages.MAX_PAGES, 0, 20));
        assertThat(databaseReads).as("the newest is kept").hasValue(ListPages.MAX_PAGES + 1);
        read(new ListPages.Query(null, null, "nothing matches 0", 0, 20));
        assertThat(databaseReads).as("the oldest went").hasValue(ListPages.MAX_PAGES + 2);
    }

    @Test
    void aKeptPageCannotBeChangedByWhoeverItWasAnsweredTo() {
        List<ProjectionRepository.ListedRow> answered = read(FIRST_PAGE);
        // The database's list is a plain ArrayList; the page kept and answered is not.
        assertThat(answered).isUnmodifiable();
        assertThat(read(FIRST_PAGE)).isSameAs(answered);
    }

    private List<ProjectionRepository.ListedRow> read(ListPages.Query query) {
        return pages.listed(query).await().indefinitely();
    }

    private static List<ProjectionRepository.ListedRow> rows(int size) {
        List<ProjectionRepository.ListedRow> rows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            rows.add(new ProjectionRepository.ListedRow(Instant.EPOCH, Buffer.buffer("{\"id\":\"p" + i + "\","),
                    Buffer.buffer("}"), null));
        }
        return rows;
    }
}
