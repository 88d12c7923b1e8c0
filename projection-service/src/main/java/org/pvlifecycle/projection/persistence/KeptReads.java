package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.Counter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The answers to the reads most recently made of the database, each answered again from memory
 * while {@link ReadModelChanges} says the read model cannot have changed since it was read. What
 * was read least recently goes first once the answers kept weigh more than {@code maxWeight} or
 * number more than {@code maxEntries} (an answer that weighs nothing, such as an empty page, still
 * counts as one). A read that finds nothing ({@code null}), or one heavier than the whole budget,
 * is not kept. The answers must not be
 * changed by whoever they are given to: the same one is given to each.
 *
 * <p>A read that finds its answer neither kept nor current joins the same key's read under way, if
 * that one started after the last change this instance can tell of: concurrent askers of a slow
 * answer ({@code /stats} reads the whole log) then cost one read, not one each; eight of them at
 * once had each read take three seconds, longer than an answer may be kept.
 */
final class KeptReads<K, V> {
    private record Kept<V>(ReadModelChanges.Stamp read, V answer, long weight) {
    }

    /** A read of the database under way, and the moment it started. */
    private record Reading<V>(ReadModelChanges.Stamp read, Uni<V> answer) {
    }

    private final ReadModelChanges changes;
    private final ToLongFunction<V> weight;
    private final long maxWeight;
    private final int maxEntries;
    private final Counter answeredFromMemory;
    private final Counter answeredFromDatabase;
    /** In the order the answers were last given; guarded by itself. */
    private final LinkedHashMap<K, Kept<V>> kept = new LinkedHashMap<>(64, 0.75f, true);
    /** The reads under way, by key; guarded by {@link #kept}. */
    private final Map<K, Reading<V>> reading = new HashMap<>();
    private long keptWeight;

    KeptReads(ReadModelChanges changes, ToLongFunction<V> weight, long maxWeight, int maxEntries,
            Counter answeredFromMemory, Counter answeredFromDatabase) {
        this.changes = changes;
        this.weight = weight;
        this.maxWeight = maxWeight;
        this.maxEntries = maxEntries;
        this.answeredFromMemory = answeredFromMemory;
        this.answeredFromDatabase = answeredFromDatabase;
    }

    /**
     * The answer to {@code key}: from memory when nothing may have changed since it was read, else
     * the answer of the read of it under way, else {@code read}'s. (The first two count as answered
     * from memory: neither reads the database again.)
     */
    Uni<V> answer(K key, Supplier<Uni<V>> read) {
        ReadModelChanges.Stamp now = changes.now();
        Reading<V> started;
        synchronized (kept) {
            Kept<V> answer = kept.get(key);
            if (answer != null && changes.current(answer.read(), now)) {
                answeredFromMemory.increment();
                return Uni.createFrom().item(answer.answer());
            }
            Reading<V> underWay = reading.get(key);
            if (underWay != null && changes.current(underWay.read(), now)) {
                answeredFromMemory.increment();
                return onCallersContext(underWay.answer());
            }
            started = startReading(key, now, read);
        }
        answeredFromDatabase.increment();
        return started.answer();
    }

    /** A read shared by whoever asks for the same key while it runs; gone from {@link #reading} once done. */
    private Reading<V> startReading(K key, ReadModelChanges.Stamp now, Supplier<Uni<V>> read) {
        AtomicReference<Reading<V>> self = new AtomicReference<>();
        Uni<V> answer = Uni.createFrom().<V>deferred(read::get).invoke(found -> {
            // One answer heavier than the whole budget would only push every other one out.
            long weighs = found == null ? 0 : weight.applyAsLong(found);
            if (found != null && weighs <= maxWeight) {
                keep(key, new Kept<>(now, found, weighs));
            }
        }).eventually(() -> {
            synchronized (kept) {
                reading.remove(key, self.get());
            }
        }).memoize().indefinitely();
        Reading<V> started = new Reading<>(now, answer);
        self.set(started);
        reading.put(key, started);
        return started;
    }

    /**
     * A read started by another request completes on that request's Vert.x context: the answer
     * is handed back on the asker's own, where its request goes on.
     */
    private static <V> Uni<V> onCallersContext(Uni<V> shared) {
        Context context = Vertx.currentContext();
        return context == null ? shared : shared.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    private void keep(K key, Kept<V> answer) {
        synchronized (kept) {
            Kept<V> present = kept.get(key);
            if (present != null && present.read().nanos() - answer.read().nanos() > 0) {
                return; // a read started later, after a change, ended first: it is the one to keep
            }
            Kept<V> replaced = kept.put(key, answer);
            keptWeight += answer.weight() - (replaced == null ? 0 : replaced.weight());
            Iterator<Kept<V>> leastRecentFirst = kept.values().iterator();
            while ((keptWeight > maxWeight || kept.size() > maxEntries) && leastRecentFirst.hasNext()) {
                keptWeight -= leastRecentFirst.next().weight();
                leastRecentFirst.remove();
            }
        }
    }
}
