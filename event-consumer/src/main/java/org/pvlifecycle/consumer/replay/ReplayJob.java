package org.pvlifecycle.consumer.replay;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs this service's {@link ReplayWork}: one replay at a time, on a thread of its own (a replay
 * is a batch job: it reads Kafka and may write over JDBC), while the live consumers go on. Its
 * status is what {@code GET /admin/replay} answers.
 */
@ApplicationScoped
public class ReplayJob {
    private static final Logger LOG = Logger.getLogger(ReplayJob.class);

    /** What a replay did, or is doing: the common fields and the service's own counts beside them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"state", "startedAt", "finishedAt", "eventsRead", "unreadable", "eventsPerSecond", "error"})
    public record Status(String state, Instant startedAt, Instant finishedAt, long eventsRead, long unreadable,
            double eventsPerSecond, String error, @JsonIgnore Map<String, Long> counts) {

        static Status idle() {
            return new Status("IDLE", null, null, 0, 0, 0, null, Map.of());
        }

        /** The service's own counts, beside the common fields in the JSON. */
        @JsonAnyGetter
        public Map<String, Long> ownCounts() {
            return counts;
        }

        public boolean running() {
            return "RUNNING".equals(state);
        }
    }

    @Inject
    Instance<ReplayWork> work;

    @Inject
    Clock clock;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "replay"));
    private final AtomicReference<Status> status = new AtomicReference<>(Status.idle());

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }

    public Status status() {
        return status.get();
    }

    /** Starts a replay; false when one is running already. */
    public synchronized boolean start() {
        if (status.get().running()) {
            return false;
        }
        Instant started = clock.instant();
        Map<String, Long> counts = new LinkedHashMap<>();
        long[] read = {0, 0};
        status.set(new Status("RUNNING", started, null, 0, 0, 0, null, Map.of()));
        ReplayWork.Progress progress = new ReplayWork.Progress() {
            @Override
            public void read(long eventsRead, long unreadable) {
                read[0] = eventsRead;
                read[1] = unreadable;
                status.set(new Status("RUNNING", started, null, eventsRead, unreadable, 0, null, Map.copyOf(counts)));
            }

            @Override
            public void count(String name, long value) {
                counts.put(name, value);
                status.set(new Status("RUNNING", started, null, read[0], read[1], 0, null, Map.copyOf(counts)));
            }
        };
        worker.submit(() -> {
            try {
                work.get().replay(progress);
                Instant finished = clock.instant();
                double seconds = Math.max(0.001, Duration.between(started, finished).toMillis() / 1000.0);
                status.set(new Status("DONE", started, finished, read[0], read[1], read[0] / seconds, null,
                        Map.copyOf(counts)));
                LOG.infof("replay done: %d events read (%d unreadable) in %.1f s; %s", read[0], read[1], seconds, counts);
            } catch (Throwable e) {
                LOG.error("replay failed", e);
                status.set(new Status("FAILED", started, clock.instant(), read[0], read[1], 0, e.toString(),
                        Map.copyOf(counts)));
            }
        });
        return true;
    }
}
