package org.pvlifecycle.eventstore;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.decider.Decider;
import org.pvlifecycle.testkit.PvlTestResources;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvlifecycle.testkit.OnVertx.await;
import static org.pvlifecycle.testkit.SampleEvents.newProposal;
import static org.pvlifecycle.testkit.SampleEvents.objection;

/**
 * The state kept after a command saves the next command on the aggregate a fold, and is never
 * trusted past the history: another writer's events are folded on top of it, a state kept by a
 * transaction that rolled back is not used, and a refusal decided on a kept state is decided again
 * on the history (only an append can prove the kept state current).
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class KeptStatesIT {
    /** Who wrote an aggregate's events, in order, as a decider that appends whatever it is given. */
    record Tally(List<String> actors) {
        Tally(String... actors) {
            this(List.of(actors));
        }

        /** This tally with {@code event}'s actor last. */
        Tally then(EventEnvelope<LifecycleEvent> event) {
            List<String> more = new java.util.ArrayList<>(actors);
            more.add(event.actor());
            return new Tally(List.copyOf(more));
        }
    }

    static final Decider<LifecycleEvent, Tally, LifecycleEvent> TALLY = Decider
            .<LifecycleEvent, Tally, LifecycleEvent>of(new Tally(), (event, tally) -> List.of(event), Tally::then)
            .snapshotted("tally.v1", Tally.class);

    /** A rule that depends on the state: a command is refused while the tally is odd. */
    static final Decider<LifecycleEvent, Tally, LifecycleEvent> EVEN_TALLY = Decider
            .<LifecycleEvent, Tally, LifecycleEvent>of(new Tally(), (event, tally) -> {
                if (tally.actors().size() % 2 == 1) {
                    throw new IllegalStateException("refused: the tally is odd");
                }
                return List.of(event);
            }, Tally::then)
            .snapshotted("even-tally.v1", Tally.class);

    @Inject
    EventStore store;
    @Inject
    MeterRegistry registry;

    Decided<Tally, LifecycleEvent> execute(String id) {
        return await(() -> store.execute(TALLY, id, objection(id), "carol", Execution.request(1)));
    }

    double foldsFromKeptStates() {
        var counter = registry.find("pvl.event.store.folds").tag("start", "kept").counter();
        return counter == null ? 0 : counter.count();
    }

    EventStore.Folded<Tally> wholeHistory(String id) {
        return await(() -> store.fold(id, TALLY.initialState(), TALLY::evolve));
    }

    @Test
    void theNextCommandStartsFromTheStateTheLastOneLeft() {
        String id = newProposal();
        execute(id);
        double before = foldsFromKeptStates();
        Decided<Tally, LifecycleEvent> second = execute(id);
        execute(id);

        assertThat(foldsFromKeptStates() - before).isEqualTo(2);
        assertThat(second.before()).isEqualTo(new Tally("carol"));
        assertThat(await(() -> store.fold(TALLY, id))).isEqualTo(wholeHistory(id))
                .isEqualTo(new EventStore.Folded<>(new Tally("carol", "carol", "carol"), 3));
    }

    @Test
    void anotherWritersEventsAreFoldedOnTopOfTheKeptState() {
        String id = newProposal();
        execute(id);
        // Another instance's append: this one's kept state does not know of it.
        await(() -> store.append(id, 1, "dave", List.of(objection(id), objection(id))));

        double before = foldsFromKeptStates();
        Decided<Tally, LifecycleEvent> next = execute(id);

        assertThat(foldsFromKeptStates() - before).isEqualTo(1);
        assertThat(next.before()).isEqualTo(new Tally("carol", "dave", "dave"));
        assertThat(next.appended().get(0).sequence()).isEqualTo(4);
        assertThat(await(() -> store.fold(TALLY, id))).isEqualTo(wholeHistory(id));
    }

    @Test
    void aStateKeptByATransactionThatRolledBackIsNotUsed() {
        String id = newProposal();
        execute(id);
        // A consumer's transaction that decides, appends, then fails: its append never happened,
        // though the state after it was kept.
        assertThatThrownBy(() -> await(() -> Panache.withTransaction(() -> store
                .execute(TALLY, id, objection(id), "carol", Execution.FROM_EVENT)
                .flatMap(decided -> Uni.createFrom().<Void>failure(new IllegalStateException("rolled back"))))))
                .hasMessageContaining("rolled back");
        // Another writer takes version 2 meanwhile, so the phantom state's version exists too.
        await(() -> store.append(id, 1, "dave", List.of(objection(id))));

        Decided<Tally, LifecycleEvent> next = execute(id);

        assertThat(next.before()).isEqualTo(new Tally("carol", "dave"));
        assertThat(next.appended().get(0).sequence()).isEqualTo(3);
        assertThat(await(() -> store.fold(TALLY, id))).isEqualTo(wholeHistory(id))
                .isEqualTo(new EventStore.Folded<>(new Tally("carol", "dave", "carol"), 3));
    }

    @Test
    void aRefusalOnTheKeptStateIsDecidedAgainOnTheHistory() {
        String id = newProposal();
        await(() -> store.execute(EVEN_TALLY, id, objection(id), "carol", Execution.request(1)));
        // Another instance's append: the kept tally (one, odd) would refuse; the history's (two) does not.
        await(() -> store.append(id, 1, "dave", List.of(objection(id))));

        Decided<Tally, LifecycleEvent> next = await(() -> store.execute(EVEN_TALLY, id, objection(id), "carol",
                Execution.request(1)));

        assertThat(next.before()).isEqualTo(new Tally("carol", "dave"));
        assertThat(next.appended().get(0).sequence()).isEqualTo(3);
    }
}
