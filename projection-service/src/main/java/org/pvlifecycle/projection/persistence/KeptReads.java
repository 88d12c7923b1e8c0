package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.Counter;
import io.smallrye.mutiny.Uni;

import java.util.Iterator;
import java.util.LinkedHashMap;
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
 */
final class KeptReads<K, V> {
    private record Kept<V>(ReadModelChanges.Stamp read, V answer, long weight) {
    }

    private final ReadModelChanges changes;
    private final ToLongFunction<V> weight;
    private final long maxWeight;
    private final int maxEntries;
    private final Counter answeredFromMemory;
    private final Counter answeredFromDatabase;
    /** In the order the answers were last given; guarded by itself. */
    private final LinkedHashMap<K, Kept<V>> kept = new LinkedHashMap<>(64, 0.75f, true);
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

    /** The answer to {@code key}: from memory when nothing may have changed since it was read, else {@code read}'s. */
    Uni<V> answer(K key, Supplier<Uni<V>> read) {
        ReadModelChanges.Stamp now = changes.now();
        synchronized (kept) {
            Kept<V> answer = kept.get(key);
            if (answer != null && changes.current(answer.read(), now)) {
                answeredFromMemory.increment();
                return Uni.createFrom().item(answer.answer());
            }
        }
        answeredFromDatabase.increment();
        return read.get().invoke(answer -> {
            // One answer heavier than the whole budget would only push every other one out.
            long weighs = answer == null ? 0 : weight.applyAsLong(answer);
            if (answer != null && weighs <= maxWeight) {
                keep(key, new Kept<>(now, answer, weighs));
            }
        });
    }

    private void keep(K key, Kept<V> answer) {
        synchronized (kept) {
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
