package org.pvlifecycle.eventstore;

import static org.pvlifecycle.testkit.SampleEvents.objection;
import static org.pvlifecycle.testkit.SampleEvents.newProposal;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.PvlTestResources;
import static org.pvlifecycle.testkit.OnVertx.await;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class EventStoreAppendIT {
    @Inject
    EventStore store;

    List<EventEnvelope<LifecycleEvent>> append(String id, long expected, LifecycleEvent... events) {
        return await(() -> store.append(id, expected, "carol", List.of(events)));
    }

    @Test
    void appendsAndLoadsBackInOrder()  {
        String id = newProposal();
        ObjectionRaised raised = objection(id);
        append(id, 0, raised);
        append(id, 1, new ObjectionWithdrawn(id, raised.objectionId(), "fixed in revision 2"));

        List<EventEnvelope<LifecycleEvent>> loaded = await(() -> store.load(id));
        assertThat(loaded).extracting(EventEnvelope::sequence).containsExactly(1L, 2L);
        assertThat(loaded.get(0).data()).isEqualTo(raised);
        assertThat(loaded.get(0).actor()).isEqualTo("carol");
        assertThat(loaded.get(0).source()).isEqualTo("/event-store-test");
        // Ids that grow with time (see EventIds): made at the millisecond the event occurred.
        assertThat(loaded).allSatisfy(event -> {
            assertThat(event.id().version()).isEqualTo(7);
            assertThat(EventIds.millis(event.id())).isEqualTo(event.time().toEpochMilli());
        });

        EventStore.Folded<Integer> folded = await(
                () -> store.fold(id, 0, (count, event) -> count + 1));
        assertThat(folded.state()).isEqualTo(2);
        assertThat(folded.version()).isEqualTo(2);
    }

    @Test
    void aStaleExpectedVersionIsAConflict()  {
        String id = newProposal();
        append(id, 0, objection(id));

        assertThatThrownBy(() -> append(id, 0, objection(id))).isInstanceOf(ConcurrencyConflict.class);
        assertThatThrownBy(() -> append(id, 5, objection(id))).isInstanceOf(ConcurrencyConflict.class);
    }

    @Test
    void twentyConcurrentAppendsAtOneVersionLetExactlyOneWin() throws Exception {
        String id = newProposal();
        int writers = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        append(id, 0, objection(id), objection(id));
                        return true;
                    } catch (ConcurrencyConflict conflict) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> outcome : outcomes) {
                wins += outcome.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }

        List<EventEnvelope<LifecycleEvent>> loaded = await(() -> store.load(id));
        assertThat(loaded).extracting(EventEnvelope::sequence).containsExactly(1L, 2L);
    }
}
