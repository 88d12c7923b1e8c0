package org.pvlifecycle.notification.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.eventstore.TopicsFromTheStart;
import org.pvlifecycle.notification.domain.Concern;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rebuilds this service's read model, who is concerned by each proposal (owners, objection
 * authors, reviewers, last eligibility), from the start of every topic while the live consumers
 * go on. Facts are applied as the live path applies them, and every one of them is safe to apply
 * twice; no delivery is planned for a replayed event, so nobody is notified twice. A notice that
 * waited for an owner or an author it now knows goes out.
 */
@ApplicationScoped
public class FactsReplay {
    private static final Logger LOG = Logger.getLogger(FactsReplay.class);
    static final int BATCH = 500;

    /** What a replay did, or is doing. */
    public record Status(String state, Instant startedAt, Instant finishedAt, long eventsRead, long unreadable,
            double eventsPerSecond, String error) {
        static Status idle() {
            return new Status("IDLE", null, null, 0, 0, 0, null);
        }
    }

    @Inject
    DeliveryPlanner planner;

    @Inject
    Clock clock;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "notification-replay"));
    private final AtomicReference<Status> status = new AtomicReference<>(Status.idle());

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }

    public Status status() {
        return status.get();
    }

    /** Starts a replay; false when one is running already. */
    public synchronized boolean start() {
        if ("RUNNING".equals(status.get().state())) {
            return false;
        }
        Instant started = clock.instant();
        status.set(new Status("RUNNING", started, null, 0, 0, 0, null));
        worker.submit(() -> {
            try {
                run(started);
            } catch (Throwable e) {
                LOG.error("replay failed", e);
                Status s = status.get();
                status.set(new Status("FAILED", started, clock.instant(), s.eventsRead(), s.unreadable(), 0,
                        e.toString()));
            }
        });
        return true;
    }

    private void run(Instant started) throws Exception {
        TopicsFromTheStart.Progress done = TopicsFromTheStart.read(bootstrapServers, Topics.ALL, BATCH,
                (batch, progress) -> {
                    if (!batch.isEmpty()) {
                        List<EventEnvelope<LifecycleEvent>> events = batch.stream().map(TopicsFromTheStart.Read::event)
                                .toList();
                        Instant now = clock.instant();
                        try {
                            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> learn(events, 0, now)));
                        } catch (Throwable e) {
                            throw new IllegalStateException("facts of a batch could not be applied", e);
                        }
                    }
                    status.set(new Status("RUNNING", started, null, progress.read(), progress.unreadable(), 0, null));
                });
        Instant finished = clock.instant();
        double seconds = Math.max(0.001, Duration.between(started, finished).toMillis() / 1000.0);
        status.set(new Status("DONE", started, finished, done.read(), done.unreadable(), done.read() / seconds, null));
        LOG.infof("replay done: %d events read (%d unreadable) in %.1f s", done.read(), done.unreadable(), seconds);
    }

    private Uni<Void> learn(List<EventEnvelope<LifecycleEvent>> batch, int index, Instant now) {
        if (index == batch.size()) {
            return Uni.createFrom().voidItem();
        }
        return planner.learn(batch.get(index), Concern.Memory.NONE, now).flatMap(v -> learn(batch, index + 1, now));
    }
}
