package org.pvlifecycle.eventstore;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.decider.Decider;
import org.pvlifecycle.eventstore.KeptStatesIT.Tally;
import org.pvlifecycle.testkit.OnVertx;
import org.pvlifecycle.testkit.PvlTestResources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.testkit.SampleEvents.newProposal;
import static org.pvlifecycle.testkit.SampleEvents.objection;

/**
 * Requests on one aggregate wait for each other in an instance instead of racing: each is decided
 * on the state the ones before it left, those that waited are decided together in one transaction,
 * and a refusal among them is only its own.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class CommandQueuesIT {
    /** A command: {@code who} writes an objection on the proposal, unless they are mallory. */
    record Note(String proposalId, String who) {
    }

    static final Decider<Note, Tally, LifecycleEvent> TALLY = Decider
            .<Note, Tally, LifecycleEvent>of(new Tally(), (note, tally) -> {
                if (note.who().equals("mallory")) {
                    throw new IllegalStateException("mallory may not write");
                }
                return List.of(objection(note.proposalId()));
            }, Tally::then)
            .snapshotted("queued-tally.v1", Tally.class);

    @Inject
    EventStore store;
    @Inject
    MeterRegistry registry;
    @Inject
    io.vertx.core.Vertx vertx;

    final ExecutorService requests = Executors.newFixedThreadPool(8);

    Future<Decided<Tally, LifecycleEvent>> request(String id, String who, int attempts) {
        return requests.submit(() -> OnVertx.await(
                () -> store.execute(TALLY, id, new Note(id, who), who, Execution.request(attempts))));
    }

    double waiting() {
        return registry.get("pvl.event.store.waiting.commands").gauge().value();
    }

    DistributionSummary perTransaction() {
        return registry.get("pvl.event.store.commands.per.transaction").summary();
    }

    /**
     * Another instance's writer, holding version 1 of the aggregate in a transaction still open
     * until {@link #commit}.
     */
    final class OpenTransaction {
        final CompletableFuture<Void> commit = new CompletableFuture<>();
        final AtomicReference<Context> itsContext = new AtomicReference<>();
        final Future<?> done;

        OpenTransaction(String id) throws InterruptedException {
            CountDownLatch written = new CountDownLatch(1);
            done = requests.submit(() -> OnVertx.await(
                    () -> Panache.withTransaction(() -> store.append(id, 0, "dave", List.of(objection(id)))
                            .invoke(() -> itsContext.set(Vertx.currentContext()))
                            .invoke(written::countDown)
                            .flatMap(appended -> Uni.createFrom().completionStage(commit)))));
            assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
        }

        void commit() throws Exception {
            // Its transaction goes on where it began, on its Vert.x context.
            itsContext.get().runOnContext(ignored -> commit.complete(null));
            done.get(30, TimeUnit.SECONDS);
        }
    }

    /** Until a statement waits on a lock: the request that runs has reached the open transaction's row. */
    static void awaitALockWait() {
        await().atMost(Duration.ofSeconds(30)).until(() -> OnVertx.await(
                () -> Panache.withSession(() -> SessionSql.select("select count(*) from pg_locks where not granted")))
                .get(0)[0].equals(1L));
    }

    @Test
    void eightWritersOnOneAggregateAllGetTheirTurnWithoutARetry() throws Exception {
        String id = newProposal();
        List<Future<Decided<Tally, LifecycleEvent>>> answers = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            // One attempt each: a request that raced another and lost would fail.
            answers.add(request(id, "writer-" + (i % 8), 1));
        }

        List<Long> versions = new ArrayList<>();
        for (Future<Decided<Tally, LifecycleEvent>> answer : answers) {
            Decided<Tally, LifecycleEvent> decided = answer.get(60, TimeUnit.SECONDS);
            long version = decided.appended().get(0).sequence();
            versions.add(version);
            // Decided on the state right before its own event: as if it had run alone.
            assertThat(decided.before().actors()).hasSize((int) version - 1);
        }
        assertThat(versions).containsExactlyInAnyOrderElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 80).boxed().toList());
        EventStore.Folded<Tally> whole = OnVertx.await(
                () -> store.fold(id, TALLY.initialState(), TALLY::evolve));
        assertThat(OnVertx.await(() -> store.fold(TALLY, id))).isEqualTo(whole);
        assertThat(whole.version()).isEqualTo(80);
    }

    @Test
    void theRequestsThatWaitedAreDecidedInOneTransactionEachOnItsPredecessorsState() throws Exception {
        String id = newProposal();
        OpenTransaction otherInstance = new OpenTransaction(id);
        long countBefore = perTransaction().count();
        double totalBefore = perTransaction().totalAmount();

        // alice's request runs at once, and waits on the row dave's open transaction holds...
        Future<Decided<Tally, LifecycleEvent>> alice = request(id, "alice", 2);
        awaitALockWait();
        // ...while the next ones wait behind it, in this order.
        List<Future<Decided<Tally, LifecycleEvent>>> behind = new ArrayList<>();
        for (String who : List.of("bob", "mallory", "erin", "frank")) {
            behind.add(request(id, who, 2));
            int queued = behind.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> waiting() == queued);
        }
        otherInstance.commit();

        // alice lost the race to dave, and was decided again on the state after his event.
        Decided<Tally, LifecycleEvent> first = alice.get(30, TimeUnit.SECONDS);
        assertThat(first.before()).isEqualTo(new Tally("dave"));
        assertThat(first.appended().get(0).sequence()).isEqualTo(2);

        Decided<Tally, LifecycleEvent> bob = behind.get(0).get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> behind.get(1).get(30, TimeUnit.SECONDS)).hasMessageContaining("mallory may not write");
        Decided<Tally, LifecycleEvent> erin = behind.get(2).get(30, TimeUnit.SECONDS);
        Decided<Tally, LifecycleEvent> frank = behind.get(3).get(30, TimeUnit.SECONDS);
        assertThat(bob.before()).isEqualTo(new Tally("dave", "alice"));
        assertThat(bob.appended().get(0).sequence()).isEqualTo(3);
        assertThat(bob.appended().get(0).actor()).isEqualTo("bob");
        assertThat(erin.before()).isEqualTo(new Tally("dave", "alice", "bob"));
        assertThat(erin.appended().get(0).sequence()).isEqualTo(4);
        assertThat(frank.before()).isEqualTo(new Tally("dave", "alice", "bob", "erin"));
        assertThat(frank.appended().get(0).sequence()).isEqualTo(5);

        // Two transactions: alice's alone, then the four that waited (mallory's refusal among them).
        assertThat(perTransaction().count() - countBefore).isEqualTo(2);
        assertThat(perTransaction().totalAmount() - totalBefore).isEqualTo(5);
        assertThat(waiting()).isZero();
        assertThat(OnVertx.await(() -> store.load(id)))
                .extracting(event -> event.actor()).containsExactly("dave", "alice", "bob", "erin", "frank");
        assertThat(OnVertx.await(() -> store.fold(TALLY, id)).state())
                .isEqualTo(new Tally("dave", "alice", "bob", "erin", "frank"));
    }

    @Test
    void aRequestWhoseClientWentAwayWhileItWaitedIsNotDecided() throws Exception {
        String id = newProposal();
        OpenTransaction otherInstance = new OpenTransaction(id);
        Future<Decided<Tally, LifecycleEvent>> alice = request(id, "alice", 2);
        awaitALockWait();

        // grace's request waits behind alice's, then her client goes away (its subscription is cancelled).
        Context graces = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(graces, true);
        AtomicReference<Cancellable> subscription = new AtomicReference<>();
        graces.runOnContext(ignored -> subscription.set(store
                .execute(TALLY, id, new Note(id, "grace"), "grace", Execution.request(2))
                .subscribe().with(decided -> { }, failure -> { })));
        await().atMost(Duration.ofSeconds(30)).until(() -> waiting() == 1);
        subscription.get().cancel();
        Future<Decided<Tally, LifecycleEvent>> bob = request(id, "bob", 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> waiting() == 2);

        otherInstance.commit();
        alice.get(30, TimeUnit.SECONDS);
        assertThat(bob.get(30, TimeUnit.SECONDS).before()).isEqualTo(new Tally("dave", "alice"));
        assertThat(waiting()).isZero();
        assertThat(OnVertx.await(() -> store.load(id)))
                .extracting(event -> event.actor()).containsExactly("dave", "alice", "bob");
    }
}
