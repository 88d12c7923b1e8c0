package org.pvlifecycle.projection.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.AckRetracted;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.events.TransitionDecided;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * A view folded on from a kept fold is the view of the whole log folded at once, whatever order
 * the events arrive in; and events that arrive in time order never make it read the whole log.
 */
class KeptFoldTest {
    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    static final String ID = "pv-kept";
    static final int KINDS = 11;

    @Test
    void foldingOnFromAViewEqualsFoldingTheWholeLog() {
        qt().forAll(lists().of(integers().between(0, KINDS * 1000 - 1)).ofSizeBetween(1, 60),
                        integers().between(0, 999), integers().between(0, 60))
                .checkAssert((codes, submittedAt, cut) -> {
                    List<LoggedEvent> log = sorted(arrivals(codes, submittedAt));
                    int at = Math.min(cut, log.size());
                    ProposalHistory before = ProposalHistory.fold(log.subList(0, at));
                    // A view is only folded on from once it holds the submission.
                    if (before != null) {
                        assertThat(ProposalHistory.fold(before, log.subList(at, log.size())))
                                .isEqualTo(ProposalHistory.fold(log));
                    }
                });
    }

    @Test
    void aKeptFoldEqualsTheWholeLogsFoldWhateverOrderEventsArriveIn() {
        qt().forAll(lists().of(integers().between(0, KINDS * 1000 - 1)).ofSizeBetween(1, 80),
                        integers().between(0, 999), lists().of(integers().between(0, 3)).ofSizeBetween(90, 90),
                        integers().between(1, 6))
                .checkAssert((codes, submittedAt, refreshes, tailSize) -> {
                    List<LoggedEvent> arrived = arrivals(codes, submittedAt);
                    KeptFold kept = null;
                    int from = 0;
                    for (int to = 1; to <= arrived.size(); to++) {
                        // A refresh after this event, or not yet (its transaction takes more).
                        if (to < arrived.size() && refreshes.get(to) != 0) {
                            continue;
                        }
                        List<LoggedEvent> logged = arrived.subList(0, to);
                        List<LoggedEvent> newer = sorted(arrived.subList(from, to));
                        KeptFold before = kept;
                        int size = tailSize;
                        kept = before == null ? KeptFold.of(sorted(logged), size)
                                : before.with(newer, size).orElseGet(() -> KeptFold.of(sorted(logged), size));
                        from = to;
                        assertThat(kept.current()).isEqualTo(ProposalHistory.fold(sorted(logged)));
                        assertThat(kept.upTo()).isEqualTo(to);
                        assertThat(kept.events()).isEqualTo(to);
                        assertThat(kept.tail().size()).isLessThanOrEqualTo(Math.max(2 * tailSize, to));
                        // Of the eligibility changes, it keeps the payload of its last only.
                        assertThat(kept.tail()).filteredOn(e -> e.data() instanceof EligibilityChanged)
                                .hasSizeLessThanOrEqualTo(1);
                    }
                });
    }

    /** A whole log read a page at a time folds as it does read at once, whatever the pages' sizes. */
    @Test
    void aLogFoldedPageByPageEqualsItFoldedAtOnce() {
        qt().forAll(lists().of(integers().between(0, KINDS * 1000 - 1)).ofSizeBetween(1, 80),
                        integers().between(-1, 999), lists().of(integers().between(1, 12)).ofSizeBetween(80, 80),
                        integers().between(0, 6))
                .checkAssert((codes, submittedAt, pageSizes, tailSize) -> {
                    List<LoggedEvent> log = sorted(arrivals(codes, submittedAt));
                    KeptFold.Folding folding = new KeptFold.Folding(tailSize);
                    int from = 0;
                    for (int page = 0; from < log.size(); page++) {
                        int to = Math.min(log.size(), from + pageSizes.get(page));
                        folding.add(log.subList(from, to));
                        from = to;
                    }
                    KeptFold paged = folding.result();
                    assertThat(paged).isEqualTo(KeptFold.of(log, tailSize));
                    assertThat(paged.current()).isEqualTo(ProposalHistory.fold(log));
                });
    }

    /** A log whose submission is missing (a damaged log) folds to nothing, page by page as at once. */
    @Test
    void aLogWithoutItsSubmissionFoldsToNothingPageByPage() {
        qt().forAll(lists().of(integers().between(0, KINDS * 1000 - 1)).ofSizeBetween(1, 80),
                        integers().between(1, 12), integers().between(0, 6))
                .checkAssert((codes, pageSize, tailSize) -> {
                    // With the submission first in time, it sorts first: the rest is the log without it.
                    List<LoggedEvent> withIt = sorted(arrivals(codes, -1));
                    List<LoggedEvent> log = withIt.subList(1, withIt.size());
                    KeptFold.Folding folding = new KeptFold.Folding(tailSize);
                    for (int from = 0; from < log.size(); from += pageSize) {
                        folding.add(log.subList(from, Math.min(log.size(), from + pageSize)));
                    }
                    assertThat(folding.result()).isEqualTo(KeptFold.of(log, tailSize));
                    assertThat(folding.result().current()).isNull();
                });
    }

    @Test
    void eventsArrivingInTimeOrderAreNeverFoldedFromTheWholeLogAgain() {
        qt().forAll(lists().of(integers().between(0, KINDS * 1000 - 1)).ofSizeBetween(1, 80), integers().between(1, 6))
                .checkAssert((codes, tailSize) -> {
                    List<LoggedEvent> inOrder = sorted(arrivals(codes, -1));
                    List<LoggedEvent> renumbered = new ArrayList<>();
                    for (LoggedEvent e : inOrder) {
                        renumbered.add(at(renumbered.size() + 1, e.time(), e.data()));
                    }
                    KeptFold kept = KeptFold.of(renumbered.subList(0, 1), tailSize);
                    for (int i = 1; i < renumbered.size(); i++) {
                        Optional<KeptFold> next = kept.with(renumbered.subList(i, i + 1), tailSize);
                        assertThat(next).isPresent();
                        kept = next.get();
                        assertThat(kept.tail().size()).isLessThanOrEqualTo(2 * tailSize);
                    }
                    assertThat(kept.current()).isEqualTo(ProposalHistory.fold(renumbered));
                });
    }

    /** The log as the repository reads it to fold: the payload of each eligibility change but the last left out. */
    @Test
    void aLogWithoutItsSupersededEligibilityChangesFoldsTheSame() {
        qt().forAll(lists().of(integers().between(0, KINDS * 1000 - 1)).ofSizeBetween(1, 80), integers().between(0, 999))
                .checkAssert((codes, submittedAt) -> {
                    List<LoggedEvent> log = sorted(arrivals(codes, submittedAt));
                    List<LoggedEvent> lean = KeptFold.latestEligibilityOnly(log);
                    assertThat(ProposalHistory.fold(lean)).isEqualTo(ProposalHistory.fold(log));
                    assertThat(lean).extracting(LoggedEvent::position)
                            .containsExactlyElementsOf(log.stream().map(LoggedEvent::position).toList());
                    assertThat(lean).filteredOn(e -> e.data() instanceof EligibilityChanged).hasSizeLessThanOrEqualTo(1);
                });
    }

    @Test
    void anEventOlderThanTheTailAsksForTheWholeLog() {
        List<LoggedEvent> log = new ArrayList<>();
        log.add(at(1, T0, submitted()));
        for (int i = 2; i <= 10; i++) {
            log.add(at(i, T0.plusSeconds(i * 60L), revised(i)));
        }
        KeptFold kept = KeptFold.of(log, 2);
        assertThat(kept.tail()).extracting(LoggedEvent::position).containsExactly(9L, 10L);
        // Among the tail: merged in.
        assertThat(kept.with(List.of(at(11, T0.plusSeconds(9 * 60L - 1), revised(11))), 2)).isPresent();
        // Before it: only the whole log can say.
        assertThat(kept.with(List.of(at(11, T0.plusSeconds(8 * 60L - 1), revised(11))), 2)).isEmpty();
    }

    /**
     * Events in the order they arrive, at positions 1, 2, ...: one per code (its kind, then its
     * time in seconds after T0), and the submission at {@code submittedAt} seconds, arriving at a
     * place of its own; with {@code submittedAt} negative, first in time and in arrival.
     */
    static List<LoggedEvent> arrivals(List<Integer> codes, int submittedAt) {
        List<LifecycleEvent> payloads = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            int code = codes.get(i);
            payloads.add(event(code % KINDS, i));
            times.add(T0.plusSeconds(code / KINDS));
        }
        int place = submittedAt < 0 ? 0 : submittedAt % (codes.size() + 1);
        payloads.add(place, submitted());
        times.add(place, submittedAt < 0 ? T0.minusSeconds(1) : T0.plusSeconds(submittedAt));
        List<LoggedEvent> log = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            log.add(at(i + 1, times.get(i), payloads.get(i)));
        }
        return log;
    }

    static LifecycleEvent event(int kind, int n) {
        String objection = ID + ".o" + (n % 3);
        String ack = ID + ".a" + (n % 3);
        return switch (kind) {
            case 0 -> revised(n + 2);
            case 1 -> new ObjectionRaised(ID, objection, Stage.DESIGN, ObjectionCategory.ABI, "ABI", "why " + n, false);
            case 2 -> new ObjectionAnswered(ID, objection, "answer " + n, T0.plusSeconds(5000 + n));
            case 3 -> new ObjectionWithdrawn(ID, objection, "withdrawn " + n);
            case 4 -> new AckGiven(ID, ack, Stage.DESIGN, AckKind.ACKED_BY, "linux-frontend");
            case 5 -> new AckRetracted(ID, ack);
            // Each one its own, so that a fold answering another than the last is seen.
            case 6 -> new EligibilityChanged(ID, Stage.DESIGN, n % 2 == 0, List.of(), null, null, null, n + 1);
            // Each overdue since an instant of its own, so that a fold marking the answer with another is seen.
            case 7 -> new DecisionOverdue(ID, Stage.DESIGN, T0, T0.plusSeconds(7000 + n));
            case 8 -> new TransitionDecided(ID, Stage.DESIGN, Stage.PROTOTYPE, DecisionKind.CZAR, "czar", false,
                    "decided " + n, List.of());
            case 9 -> new ProposalWithdrawn(ID, Stage.DESIGN, "withdrawn " + n);
            default -> new StageAdvanced(ID, Stage.DESIGN, Stage.PROTOTYPE, "d" + n, DecisionKind.CZAR, "czar",
                    false, "step " + n);
        };
    }

    static ProposalSubmitted submitted() {
        return new ProposalSubmitted(ID, "Kept", "A kept fold", "alice", List.of("linux-frontend"), 1, null, List.of(),
                List.of());
    }

    static ProposalRevised revised(int revision) {
        return new ProposalRevised(ID, revision, null, "revision " + revision, List.of(), List.of());
    }

    static LoggedEvent at(long position, Instant time, LifecycleEvent data) {
        return new LoggedEvent(position, UUID.nameUUIDFromBytes(Long.toString(position).getBytes()), "topic",
                EventType.of(data), "test", ID, "alice", time, position, data);
    }

    static List<LoggedEvent> sorted(List<LoggedEvent> events) {
        List<LoggedEvent> sorted = new ArrayList<>(events);
        sorted.sort(KeptFold.LOG_ORDER);
        return sorted;
    }
}
