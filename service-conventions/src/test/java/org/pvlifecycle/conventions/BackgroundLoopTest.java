package org.pvlifecycle.conventions;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
            // Quarkus' scheduler, which ran these ticks before, would have made at most three
            // passes in three seconds, the first at the start.
            awaitTrue(() -> passes.get() >= 10, Duration.ofSeconds(3));
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
        Thread.sleep(50); // a pass already handed to the event loop may still run
        int atStop = passes.get();
        Thread.sleep(300);
        loop.wake();
        assertThat(passes.get()).isEqualTo(atStop);
        assertThat(loop.running()).isFalse();
    }

    @Test
    void wakeUpsDuringAPassBringOneMorePassNotOneEach() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        AtomicReference<CompletableFuture<Boolean>> current = new AtomicReference<>();
        BackgroundLoop loop = new BackgroundLoop("held", vertx, Duration.ofHours(1), () -> {
            passes.incrementAndGet();
            CompletableFuture<Boolean> held = new CompletableFuture<>();
            current.set(held);
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
