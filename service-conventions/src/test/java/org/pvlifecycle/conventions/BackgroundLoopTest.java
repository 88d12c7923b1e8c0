package org.pvlifecycle.conventions;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loop every background job runs on, on a real Vert.x. */
class BackgroundLoopTest {
    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void ticksAtThePeriodItIsGivenEvenUnderASecond() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        BackgroundLoop loop = new BackgroundLoop("counting", vertx, Duration.ofMillis(20),
                () -> Uni.createFrom().item(() -> passes.incrementAndGet() < 0));
        loop.start();
        try {
            // 50 passes at 20 ms take a second. The bound is thirty times that, for a busy
            // machine; a loop ticking once a second, as Quarkus' scheduler did, would make 31.
            awaitTrue(() -> passes.get() >= 50, Duration.ofSeconds(30));
        } finally {
            loop.stop();
        }
    }

    @Test
    void noPassesAfterTheStop() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        BackgroundLoop loop = new BackgroundLoop("counting", vertx, Duration.ofMillis(10),
                () -> Uni.createFrom().item(() -> passes.incrementAndGet() < 0));
        loop.start();
        awaitTrue(() -> passes.get() >= 3, Duration.ofSeconds(10));
        loop.stop();
        int atStop = passes.get();
        loop.wake();
        // Fifteen ticks' worth of time: a loop still ticking, or woken, would pass again and again.
        Thread.sleep(300);
        // At most the pass that was running when the loop stopped.
        assertThat(passes.get()).isLessThanOrEqualTo(atStop + 1);
        assertThat(loop.running()).isFalse();
    }

    @Test
    void wakeUpsDuringAPassBringOneMorePassNotOneEach() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        AtomicReference<CompletableFuture<Boolean>> current = new AtomicReference<>();
        BackgroundLoop loop = new BackgroundLoop("held", vertx, Duration.ofHours(1), () -> {
            CompletableFuture<Boolean> held = new CompletableFuture<>();
            current.set(held);
            passes.incrementAndGet();
            return Uni.createFrom().completionStage(held);
        });
        loop.start();
        try {
            awaitTrue(() -> passes.get() == 1, Duration.ofSeconds(10));
            CompletableFuture<Boolean> first = current.get();
            loop.wake();
            loop.wake();
            loop.wake();
            first.complete(false);
            awaitTrue(() -> passes.get() == 2 && current.get() != first, Duration.ofSeconds(10));
            current.get().complete(false);
            Thread.sleep(200);
            assertThat(passes.get()).isEqualTo(2);
        } finally {
            loop.stop();
        }
    }

    @Test
    void ticksDuringASlowPassAreDroppedNotQueued() throws Exception {
        List<Thread> passThreads = new CopyOnWriteArrayList<>();
        AtomicReference<CompletableFuture<Boolean>> current = new AtomicReference<>();
        BackgroundLoop loop = new BackgroundLoop("slow", vertx, Duration.ofMillis(10), () -> {
            CompletableFuture<Boolean> held = new CompletableFuture<>();
            current.set(held);
            passThreads.add(Thread.currentThread());
            return passThreads.size() == 1 ? Uni.createFrom().completionStage(held) : Uni.createFrom().item(false);
        });
        loop.start();
        try {
            awaitTrue(() -> passThreads.size() == 1, Duration.ofSeconds(10));
            Thread.sleep(200); // ticks come while the first pass is held
            // The pass ends on this thread. A pass owed to those ticks would follow at once, on
            // this thread; the next tick's pass runs on the event loop.
            current.get().complete(false);
            awaitTrue(() -> passThreads.size() >= 2, Duration.ofSeconds(10));
            assertThat(passThreads.get(1)).isNotSameAs(Thread.currentThread());
        } finally {
            loop.stop();
        }
    }

    @Test
    void aPassThatSaysThereIsMoreIsFollowedAtOnce() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        // An hour's period: every pass after the first comes from "more".
        BackgroundLoop loop = new BackgroundLoop("draining", vertx, Duration.ofHours(1),
                () -> Uni.createFrom().item(() -> passes.incrementAndGet() < 5));
        loop.start();
        try {
            awaitTrue(() -> passes.get() == 5, Duration.ofSeconds(10));
            Thread.sleep(200);
            assertThat(passes.get()).isEqualTo(5);
        } finally {
            loop.stop();
        }
    }

    @Test
    void aFailingPassDoesNotStopTheTicks() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        BackgroundLoop loop = new BackgroundLoop("failing", vertx, Duration.ofMillis(20), () -> {
            passes.incrementAndGet();
            return Uni.createFrom().failure(new IllegalStateException("the database is away"));
        });
        loop.start();
        try {
            awaitTrue(() -> passes.get() >= 5, Duration.ofSeconds(10));
        } finally {
            loop.stop();
        }
    }

    @Test
    void aPeriodUnderAMillisecondIsRefused() {
        assertThatThrownBy(() -> new BackgroundLoop("too fast", vertx, Duration.ofNanos(10),
                () -> Uni.createFrom().item(false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too fast");
    }

    private static void awaitTrue(BooleanSupplier condition, Duration atMost) throws InterruptedException {
        long until = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", atMost).isLessThan(until);
            Thread.sleep(5);
        }
    }
}
