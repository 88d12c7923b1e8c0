package org.pvlifecycle.conventions;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One background job of a service (publishing the outbox, firing deadlines, claiming deliveries):
 * passes of work that run one at a time, each on a Vert.x context of its own (a pass's transaction
 * is kept on the context, SessionSql's connection or Hibernate Reactive's session where the service
 * has it, so a pass must not share the caller's), asked for at each tick of its own period, or
 * woken by new work.
 * <ul>
 * <li>The tick is a Vert.x periodic timer, so it keeps the period it is given, under a second too;
 * Quarkus' scheduler checks its triggers once a second, whatever {@code every} asks.</li>
 * <li>A wake-up while a pass runs is not lost: one more pass follows. A tick while a pass runs is
 * dropped: a pass slower than the period (a database that is away takes a second to refuse) is
 * not followed at once by another, and the next tick comes at its time.</li>
 * <li>A pass that says there may be more ({@code true}) is followed by another at once.</li>
 * <li>Only between {@link #start()} and {@link #stop()}: not before messaging is wired, not after
 * the pools have closed.</li>
 * <li>A failing pass (the database or Kafka away) is logged once when the failures start and once
 * when they end, not at every tick; the next tick tries again.</li>
 * </ul>
 */
public final class BackgroundLoop {
    private static final Logger LOG = Logger.getLogger(BackgroundLoop.class);

    private final String name;
    private final Vertx vertx;
    private final Duration every;
    private final Supplier<Uni<Boolean>> pass;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean running;
    private volatile boolean failing;
    private long ticker = -1;

    /**
     * @param name what the job does, for the log ("the outbox relay")
     * @param every how often a pass is asked for when nothing woke the loop (what another instance
     *        did, a wake-up lost in a crash, time passing)
     * @param pass one pass of work; its item says whether there may be more to do right away
     */
    public BackgroundLoop(String name, Vertx vertx, Duration every, Supplier<Uni<Boolean>> pass) {
        if (every.toMillis() < 1) {
            throw new IllegalArgumentException("the period of " + name + " must be at least a millisecond, not " + every);
        }
        this.name = name;
        this.vertx = vertx;
        this.every = every;
        this.pass = pass;
    }

    /** Runs a pass now, then one at every tick and at every wake-up, until {@link #stop()}. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        ticker = vertx.setPeriodic(every.toMillis(), id -> tick());
        wake();
    }

    public synchronized void stop() {
        running = false;
        if (ticker >= 0) {
            vertx.cancelTimer(ticker);
            ticker = -1;
        }
    }

    public boolean running() {
        return running;
    }

    /** Asks for a pass now, without waiting for it. */
    public void wake() {
        if (!running) {
            return;
        }
        // Asked for first: a pass ending between the two lines then sees it and runs again.
        again.set(true);
        if (busy.compareAndSet(false, true)) {
            freshContext(vertx).runOnContext(ignored -> runPass());
        }
    }

    /** The period has passed: a pass if none runs. */
    private void tick() {
        if (running && busy.compareAndSet(false, true)) {
            freshContext(vertx).runOnContext(ignored -> runPass());
        }
    }

    private void runPass() {
        if (!running) {
            // Stopped after this pass was handed to the event loop: the pools may be closing.
            busy.set(false);
            return;
        }
        again.set(false);
        Uni.createFrom().deferred(pass::get).subscribe().with(more -> {
            if (failing) {
                failing = false;
                LOG.infof("%s works again", name);
            }
            passEnded(Boolean.TRUE.equals(more));
        }, failure -> {
            if (!failing && running) {
                failing = true;
                LOG.warnf("%s failed (%s); it keeps trying", name, failure.getMessage());
            }
            passEnded(false);
        });
    }

    private void passEnded(boolean more) {
        if (running && (more || again.get())) {
            runPass();
            return;
        }
        busy.set(false);
        // A wake-up between the check above and releasing the flag would otherwise be lost.
        if (again.getAndSet(false)) {
            wake();
        }
    }

    /** A duplicated, safe Vert.x context: what a Hibernate Reactive session needs to live on. */
    public static Context freshContext(Vertx vertx) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return context;
    }
}
