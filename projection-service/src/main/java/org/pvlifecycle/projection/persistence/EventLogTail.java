package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.pvlifecycle.conventions.BackgroundLoop;
import org.pvlifecycle.projection.domain.LogFrontier;
import org.pvlifecycle.projection.domain.LoggedEvent;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one reader of the event log that every live stream of this instance shares: it follows the
 * log (woken by each event this instance applies, and at every tick for what other instances
 * applied), keeps the newest events in memory and tells the streams how far they may go. A stream
 * near the end reads from memory; only one that is far behind (resuming after a long time, or
 * {@code ?from=0}) reads the database, in batches, until it has caught up. So the database's load
 * does not grow with the number of clients.
 */
@ApplicationScoped
public class EventLogTail {
    static final int BATCH = 1000;
    /** How many of the newest events stay in memory for the streams. */
    public static final int KEPT = 10_000;
    /** How long a hole in the log's positions may stay open before it is taken as permanent. */
    static final Duration PATIENCE = Duration.ofSeconds(2);

    /** What the streams hear: the log advanced, or it cannot be read (the streams end, clients come back later). */
    public sealed interface Signal permits Advanced, Unreadable {
    }

    public record Advanced(long upTo) implements Signal {
    }

    public record Unreadable(Throwable cause) implements Signal {
    }

    @Inject
    ProjectionRepository repository;

    @Inject
    LogSlices slices;

    @Inject
    Vertx vertx;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @Inject
    StreamConfig streams;

    /** An event the tail keeps, with the size of its payload. */
    private record Kept(LoggedEvent event, int bytes) {
    }

    private final ConcurrentNavigableMap<Long, Kept> kept = new ConcurrentSkipListMap<>();
    /** The payload bytes of {@link #kept}; changed by the tail's reads only, which never overlap. */
    private long keptBytes;
    private final BroadcastProcessor<Signal> signals = BroadcastProcessor.create();
    private volatile LogFrontier frontier;
    private final AtomicLong changesSeen = new AtomicLong();
    private BackgroundLoop loop;
    private Counter reads;

    @PostConstruct
    void createLoop() {
        loop = new BackgroundLoop("following the event log for the streams", vertx, streams.pollInterval(), this::readOn);
        reads = registry.counter("pvl.stream.log.reads", "reader", "tail");
    }

    void onStart(@Observes StartupEvent event) {
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        loop.stop();
        signals.onComplete();
    }

    /** Reads on now: called after this instance applied an event. */
    public void wake() {
        loop.wake();
    }

    /** Every signal from now on; hot, shared by all streams. */
    public Multi<Signal> signals() {
        return signals;
    }

    /** Everything up to this position may be streamed; -1 before the first read. */
    public long upTo() {
        LogFrontier f = frontier;
        return f == null ? -1 : f.upTo();
    }

    /**
     * The events after {@code after} up to the frontier, at most {@code limit}, when memory holds
     * all of them; empty when the caller must read the database.
     */
    public Optional<List<LoggedEvent>> kept(long after, int limit) {
        long upTo = upTo();
        if (upTo < 0) {
            return Optional.empty();
        }
        if (after >= upTo) {
            return Optional.of(List.of());
        }
        Long oldest = kept.isEmpty() ? null : kept.firstKey();
        if (oldest == null || after < oldest - 1) {
            return Optional.empty();
        }
        List<LoggedEvent> events = new ArrayList<>();
        for (Kept k : kept.subMap(after, false, upTo, true).values()) {
            if (events.size() == limit) {
                break;
            }
            events.add(k.event());
        }
        return Optional.of(events);
    }

    /**
     * How many of the tail's reads of the log have found events or failed: what was read from the
     * database before the count last moved may have changed since ({@link ReadModelChanges}). A
     * read that found nothing past the frontier leaves it: every instance writes its events into
     * the log in the transaction that changes the read model, so nothing changed that the tail
     * could have seen. (Before, every read moved it, at least every tick: nothing read was
     * answered again after a quarter of a second, and a read slower than that, {@code /stats} on a
     * long log, never.)
     */
    public long changesSeen() {
        return changesSeen.get();
    }

    /**
     * One read of the log past the frontier; there is more when a whole batch came. Its end is
     * counted before the streams hear of it: a client that reads the list or a view on an event it
     * was sent finds no page or view kept from before it.
     */
    private Uni<Boolean> readOn() {
        LogFrontier current = frontier;
        if (current == null) {
            return repository.lastPosition().map(last -> {
                changesSeen.incrementAndGet();
                frontier = LogFrontier.at(last);
                signals.onNext(new Advanced(last));
                return false;
            }).onFailure().invoke(this::unreadable);
        }
        reads.increment();
        long maxBytes = streams.keptBytes().asLongValue();
        return slices.after(current.upTo(), BATCH, maxBytes).map(slice -> {
            List<LoggedEvent> events = slice.events();
            if (!events.isEmpty()) {
                changesSeen.incrementAndGet();
            }
            for (int i = 0; i < events.size(); i++) {
                Kept added = new Kept(events.get(i), slice.payloadBytes().get(i));
                Kept replaced = kept.put(added.event().position(), added);
                keptBytes += added.bytes() - (replaced == null ? 0 : replaced.bytes());
            }
            while (kept.size() > KEPT || keptBytes > maxBytes && kept.size() > 1) {
                keptBytes -= kept.pollFirstEntry().getValue().bytes();
            }
            LogFrontier next = current.advance(events.stream().map(LoggedEvent::position).toList(), clock.instant(),
                    PATIENCE);
            frontier = next;
            if (next.upTo() != current.upTo()) {
                signals.onNext(new Advanced(next.upTo()));
            }
            return slice.more();
        }).onFailure().invoke(this::unreadable);
    }

    private void unreadable(Throwable failure) {
        changesSeen.incrementAndGet();
        signals.onNext(new Unreadable(failure));
    }
}
