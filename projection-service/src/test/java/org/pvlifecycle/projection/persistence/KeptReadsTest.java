package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link KeptReads} keeps of answers that are not pages (ListPagesTest has its rules of
 * currency and of budgets): the full views of {@link ProposalDocuments}, weighed by their bytes.
 */
class KeptReadsTest {
    private final AtomicInteger databaseReads = new AtomicInteger();
    private KeptReads<String, Buffer> views;

    @BeforeEach
    void views() {
        ReadModelChanges changes = new ReadModelChanges();
        changes.config = () -> Duration.ofSeconds(1);
        changes.tail = new EventLogTail() {
            @Override
            public long readsEnded() {
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

    private Buffer read(String id, Buffer stored) {
        return views.answer(id, () -> {
            databaseReads.incrementAndGet();
            return Uni.createFrom().item(stored);
        }).await().indefinitely();
    }
}
