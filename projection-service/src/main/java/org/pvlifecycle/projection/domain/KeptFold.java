package org.pvlifecycle.projection.domain;

import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.ProposalSubmitted;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A proposal's view as folded from its log, kept between refreshes so that the next one folds
 * only the events logged since, not the whole history again: with thousands of events, reading
 * and folding the log had been most of the projection's work per event.
 *
 * <p>The log is folded in time order, but events are logged in the order they arrive, and the
 * four topics arrive in their own orders: an event can come after one later in time (a revision
 * behind the eligibility its consensus already announced). So the fold keeps its last
 * {@code tail} events apart from the view {@code base} folded before them: an event that sorts
 * among those is merged in and the tail folded again, a few dozen events. One that sorts before the
 * tail cannot be folded from what is kept: {@link #with} answers empty, and the whole log is read.
 *
 * @param base the view of the events before the tail; null when they hold no submission (then
 *        the tail holds the whole log)
 * @param baseLast the last event folded into {@code base}; null with it
 * @param tail the latest events, in log order
 * @param current the view of the whole log: {@code base} and then {@code tail}; null while it
 *        holds no submission
 * @param upTo the highest position among the events folded
 * @param events how many events are folded
 */
public record KeptFold(ProposalHistory base, LoggedEvent baseLast, List<LoggedEvent> tail, ProposalHistory current,
        long upTo, int events) {

    /**
     * The tail keeps the payload of its last eligibility-changed only: the fold keeps only the
     * last, and each carries every open objection as a blocker, so a contested proposal's tail of
     * 64 events had held 100,000 blockers (and filled the projection's heap).
     */
    public KeptFold {
        tail = latestEligibilityOnly(tail);
    }

    /** {@code events}, in log order, with the payload of each eligibility-changed but the last left out. */
    static List<LoggedEvent> latestEligibilityOnly(List<LoggedEvent> events) {
        int last = -1;
        int superseded = 0;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).data() instanceof EligibilityChanged) {
                superseded += last >= 0 ? 1 : 0;
                last = i;
            }
        }
        if (superseded == 0) {
            return events;
        }
        List<LoggedEvent> kept = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            LoggedEvent e = events.get(i);
            kept.add(i != last && e.data() instanceof EligibilityChanged ? e.withoutData() : e);
        }
        return List.copyOf(kept);
    }

    /** The order {@link ProposalHistory} folds a log in: by time, then by position in the log. */
    public static final Comparator<LoggedEvent> LOG_ORDER = Comparator.comparing(LoggedEvent::time)
            .thenComparingLong(LoggedEvent::position);

    /** The fold of a proposal's whole log, given in log order, keeping its last {@code tailSize} events apart. */
    public static KeptFold of(List<LoggedEvent> log, int tailSize) {
        return kept(null, null, log, 0, 0, tailSize);
    }

    /**
     * The fold of a proposal's whole log, given a page at a time in log order: what {@link #of}
     * answers for the pages joined, while only a page and the tail are held at once, not every
     * event of the log. A log of thousands of events read whole, by several refreshes at once, had
     * filled the projection's heap.
     */
    public static final class Folding {
        private final int tailSize;
        private ProposalHistory base;
        private LoggedEvent baseLast;
        private int baseEvents;
        private long upTo;
        private final List<LoggedEvent> pending = new ArrayList<>();
        /** Where the first submission is among the pending events while there is no base; -1 before one comes. */
        private int submissionAt = -1;

        public Folding(int tailSize) {
            this.tailSize = tailSize;
        }

        /** The next events of the log, in log order: all but the last {@code tailSize} folded into the base. */
        public Folding add(List<LoggedEvent> page) {
            for (LoggedEvent e : page) {
                upTo = Math.max(upTo, e.position());
                if (base == null && submissionAt < 0 && e.data() instanceof ProposalSubmitted) {
                    submissionAt = pending.size();
                }
                pending.add(e);
            }
            int split = pending.size() - tailSize;
            // A base holds the submission; until it is among the events to fold, they all wait,
            // unfolded: folded again at every page, a log without one cost pages times its length.
            if (split > 0 && (base != null || submissionAt >= 0 && submissionAt < split)) {
                List<LoggedEvent> older = pending.subList(0, split);
                base = ProposalHistory.fold(base, older);
                baseLast = older.get(split - 1);
                baseEvents += split;
                older.clear();
            }
            return this;
        }

        /** The log's fold, as {@link #of} gives it. */
        public KeptFold result() {
            List<LoggedEvent> tail = List.copyOf(pending);
            return new KeptFold(base, baseLast, tail, ProposalHistory.fold(base, tail), upTo, baseEvents + tail.size());
        }
    }

    /**
     * This fold with {@code newer}, the proposal's events logged since (each at a position above
     * {@link #upTo}), in log order; empty when one of them sorts before the tail, so that only the
     * whole log can be folded.
     */
    public Optional<KeptFold> with(List<LoggedEvent> newer, int tailSize) {
        if (newer.isEmpty()) {
            return Optional.of(this);
        }
        LoggedEvent first = newer.get(0);
        if (baseLast != null && LOG_ORDER.compare(first, baseLast) < 0) {
            return Optional.empty();
        }
        long highest = upTo;
        for (LoggedEvent e : newer) {
            highest = Math.max(highest, e.position());
        }
        if (current != null && (tail.isEmpty() || LOG_ORDER.compare(first, tail.get(tail.size() - 1)) > 0)) {
            // In order, as most are: folded on from the current view alone.
            List<LoggedEvent> longer = new ArrayList<>(tail.size() + newer.size());
            longer.addAll(tail);
            longer.addAll(newer);
            return Optional.of(trimmed(new KeptFold(base, baseLast, List.copyOf(longer),
                    ProposalHistory.fold(current, newer), highest, events + newer.size()), tailSize));
        }
        List<LoggedEvent> merged = new ArrayList<>(tail.size() + newer.size());
        merged.addAll(tail);
        merged.addAll(newer);
        merged.sort(LOG_ORDER);
        return Optional.of(trimmed(new KeptFold(base, baseLast, List.copyOf(merged), ProposalHistory.fold(base, merged),
                highest, events + newer.size()), tailSize));
    }

    /**
     * Folds the oldest of the tail into the base once the tail is twice {@code tailSize}, so that
     * merging stays a few dozen events and the base moves on in steps, not with every event. A
     * base must hold the submission (a view is only kept from one), so a tail that would leave it
     * behind stays whole.
     */
    private static KeptFold trimmed(KeptFold fold, int tailSize) {
        if (fold.tail.size() <= 2 * tailSize) {
            return fold;
        }
        return kept(fold.base, fold.baseLast, fold.tail, fold.upTo, fold.events - fold.tail.size(), tailSize);
    }

    /** {@code base} (after {@code baseEvents} events) and then {@code log}, its last {@code tailSize} apart. */
    private static KeptFold kept(ProposalHistory base, LoggedEvent baseLast, List<LoggedEvent> log, long upTo,
            int baseEvents, int tailSize) {
        long highest = upTo;
        for (LoggedEvent e : log) {
            highest = Math.max(highest, e.position());
        }
        int split = Math.max(0, log.size() - tailSize);
        ProposalHistory before = split == 0 ? base : ProposalHistory.fold(base, log.subList(0, split));
        if (before == null) {
            split = 0;
            before = base;
        }
        List<LoggedEvent> tail = List.copyOf(log.subList(split, log.size()));
        LoggedEvent last = split == 0 ? baseLast : log.get(split - 1);
        return new KeptFold(before, last, tail, ProposalHistory.fold(before, tail), highest, baseEvents + log.size());
    }
}
