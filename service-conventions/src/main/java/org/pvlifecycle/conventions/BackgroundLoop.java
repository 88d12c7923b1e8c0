package org.pvlifecycle.conventions;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One background job of a service (publishing the outbox, firing deadlines, claiming deliveries):
 * passes of work that run one at a time, each on a Vert.x context of its own (a pass's transaction
 * is kept on the context, SessionSql's connection or Hibernate Reactive's session where the service
 * has it, so a pass must not share the caller's), asked for by a
 * {@code @Scheduled} tick or woken by new work.
 * <ul>
 * <li>A pass asked for while one runs is not lost: one more pass follows.</li>
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
    private final Supplier<Uni<Boolean>> pass;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean running;
    private volatile boolean failing;

    /**
     * @param name what the job does, for the log ("the outbox relay")
     * @param pass one pass of work; its item says whether there may be more to do right away
     */
    public BackgroundLoop(String name, Vertx vertx, Supplier<Uni<Boolean>> pass) {
        this.name = name;
        this.vertx = vertx;
        this.pass = pass;
    }

    public void start() {
        running = true;
        wake();
    }

    public void stop() {
        running = false;
    }

    public boolean running() {
        return running;
    }

    /** Asks for a pass now, without waiting for it. */
    public void wake() {
        if (!running) {
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        freshContext(vertx).runOnContext(ignored -> runPass());
    }

    private void runPass() {
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
