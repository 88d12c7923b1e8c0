package org.pvlifecycle.projection.persistence;

import org.pvlifecycle.projection.domain.KeptFold;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The folds {@link ProposalFolds} keeps, at most {@code maxEvents} events' worth, the proposals
 * refreshed longest ago dropped first; but only those not refreshed for {@code idleMillis}. A
 * fold that would need one refreshed more recently dropped is not kept.
 *
 * <p>Why not plain least-recently-used: proposals refreshed in turn whose folds do not all fit
 * (the bench's 32 proposals of 4,000 events each) made each fold drop the one to be refreshed
 * next, so that none was ever found: every refresh read and parsed a whole log, and the garbage
 * of those reads kept the projection's small heap in back-to-back full collections. Refusing the
 * newcomer keeps the folds that fit, and the rest read their logs as they would have anyway;
 * once some go quiet they make room again.
 */
final class KeptFoldCache {
    private record Entry(KeptFold fold, long refreshedAt) {
    }

    private final int maxEvents;
    private final long idleMillis;
    /** In the order kept, so the proposal refreshed longest ago first. */
    private final LinkedHashMap<String, Entry> kept = new LinkedHashMap<>();
    private long events;

    KeptFoldCache(int maxEvents, long idleMillis) {
        this.maxEvents = maxEvents;
        this.idleMillis = idleMillis;
    }

    synchronized KeptFold get(String proposalId) {
        Entry entry = kept.get(proposalId);
        return entry == null ? null : entry.fold();
    }

    /**
     * Keeps {@code fold} as the proposal's, refreshed at {@code now} (milliseconds on a monotonic
     * clock), in place of what was kept for it; false when it is not kept (no submission in it
     * yet, more events than the whole budget, or no room without dropping a fold refreshed in the
     * last {@code idleMillis}): the proposal then has nothing kept.
     */
    synchronized boolean put(String proposalId, KeptFold fold, long now) {
        Entry before = kept.remove(proposalId);
        if (before != null) {
            events -= before.fold().events();
        }
        if (fold.current() == null || fold.events() > maxEvents) {
            return false;
        }
        long over = events + fold.events() - maxEvents;
        if (over > 0 && idleEvents(now, over) < over) {
            return false;
        }
        Iterator<Map.Entry<String, Entry>> oldest = kept.entrySet().iterator();
        while (events + fold.events() > maxEvents) {
            events -= oldest.next().getValue().fold().events();
            oldest.remove();
        }
        kept.put(proposalId, new Entry(fold, now));
        events += fold.events();
        return true;
    }

    /** The events of the folds refreshed longest ago and idle since, counted until {@code enough}. */
    private long idleEvents(long now, long enough) {
        long idle = 0;
        for (Entry entry : kept.values()) {
            if (now - entry.refreshedAt() < idleMillis || idle >= enough) {
                break;
            }
            idle += entry.fold().events();
        }
        return idle;
    }

    synchronized int size() {
        return kept.size();
    }

    synchronized long events() {
        return events;
    }
}
