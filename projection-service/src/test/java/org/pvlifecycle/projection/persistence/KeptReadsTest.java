package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link KeptReads} keeps of answers that are not pages (ListPagesTest has its rules of
 * currency and of budgets): the full views of {@link ProposalDocuments}, weighed by their bytes;
 * and how askers share a read under way.
 */
class KeptReadsTest {
    private final AtomicInteger databaseReads = new AtomicInteger();
    private KeptReads<String, Buffer> views;
    private ReadModelChanges changes;

    @BeforeEach
    void views() {
        changes = new ReadModelChanges();
        changes.config = () -> Duration.ofSeconds(1);
        changes.tail = new EventLogTail() {
            @Override
            public long changesSeen() {
                return 0;
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        views = new KeptReads<>(changes, Buffer::length, 10_000, 100, registry.counter("kept"), registry.counter("read"));
    }

    @Test
    void aViewNotFoundIsNotKeptItIsLookedForAgain() {
        assertThat(read("p-new", null)).isNull();
        assertThat(read("p-new", null)).isNull();
        assertThat(databaseReads).hasValue(2);
        Buffer written = Buffer.buffer("{\"id\":\"p-new\"}");
        assertThat(read("p-new", written)).isSameAs(written);
        assertThat(read("p-new", null)).as("found and kept").isSameAs(written);
        assertThat(databaseReads).hasValue(3);
    }

    @Test
    void theBytesKeptStayWithinTheirBudgetTheViewAnsweredLongestAgoGoingFirst() {
        for (int i = 0; i < 10; i++) {
            read("p" + i, Buffer.buffer(new byte[1_000]));
        }
        read("p0", null);
        assertThat(databaseReads).as("all fit").hasValue(10);
        // One more: the view answered longest ago (p1; p0 was just answered) goes.
        read("p10", Buffer.buffer(new byte[1_000]));
        read("p0", null);
        assertThat(databaseReads).hasValue(11);
        read("p1", Buffer.buffer(new byte[1_000]));
        assertThat(databaseReads).hasValue(12);
    }

    @Test
    void aViewHeavierThanTheWholeBudgetIsNotKeptAndPushesNothingOut() {
        read("p0", Buffer.buffer(new byte[1_000]));
        read("huge", Buffer.buffer(new byte[10_001]));
        read("huge", Buffer.buffer(new byte[10_001]));
        assertThat(databaseReads).hasValue(3);
        read("p0", null);
        assertThat(databaseReads).as("p0 still kept").hasValue(3);
    }

    @Test
    void askersOfAnAnswerBeingReadShareThatRead() {
        CompletableFuture<Buffer> database = new CompletableFuture<>();
        CompletableFuture<Buffer> first = reading("p-slow", database).subscribeAsCompletionStage();
        CompletableFuture<Buffer> second = reading("p-slow", database).subscribeAsCompletionStage();
        assertThat(databaseReads).as("one read under way for both").hasValue(1);
        Buffer view = Buffer.buffer("{\"id\":\"p-slow\"}");
        database.complete(view);
        assertThat(first.join()).isSameAs(view);
        assertThat(second.join()).isSameAs(view);
        assertThat(read("p-slow", null)).as("then kept").isSameAs(view);
        assertThat(databaseReads).hasValue(1);
    }

    @Test
    void aReadUnderWayWhenAChangeCommitsIsNotSharedWithAskersAfterIt() {
        CompletableFuture<Buffer> before = new CompletableFuture<>();
        CompletableFuture<Buffer> first = reading("p-changing", before).subscribeAsCompletionStage();
        changes.mayHaveChanged();
        Buffer after = Buffer.buffer("{\"id\":\"p-changing\",\"v\":2}");
        assertThat(read("p-changing", after)).as("read again, not joined").isSameAs(after);
        assertThat(databaseReads).hasValue(2);
        before.complete(Buffer.buffer("{\"id\":\"p-changing\",\"v\":1}"));
        assertThat(first.join().toString()).contains("\"v\":1");
        assertThat(read("p-changing", null)).as("the later read is the one kept").isSameAs(after);
    }

    @Test
    void aFailedReadIsNeitherKeptNorSharedOnceItFailed() {
        CompletableFuture<Buffer> failing = new CompletableFuture<>();
        CompletableFuture<Buffer> first = reading("p-away", failing).subscribeAsCompletionStage();
        failing.completeExceptionally(new IllegalStateException("the database is away"));
        assertThat(first).isCompletedExceptionally();
        Buffer view = Buffer.buffer("{\"id\":\"p-away\"}");
        assertThat(read("p-away", view)).isSameAs(view);
        assertThat(databaseReads).hasValue(2);
    }

    /** An answer whose read, if it makes one, completes when {@code database} does. */
    private Uni<Buffer> reading(String id, CompletableFuture<Buffer> database) {
        return views.answer(id, () -> {
            databaseReads.incrementAndGet();
            return Uni.createFrom().completionStage(database);
        });
    }

    private Buffer read(String id, Buffer stored) {
        return views.answer(id, () -> {
            databaseReads.incrementAndGet();
            return Uni.createFrom().item(stored);
        }).await().indefinitely();
    }
}
