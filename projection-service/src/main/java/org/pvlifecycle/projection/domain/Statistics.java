package org.pvlifecycle.projection.domain;

import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What {@code GET /stats} and {@code GET /objections} compute from the log: pure functions. */
public final class Statistics {
    public static final List<String> OBJECTION_TYPES = List.of(
            EventType.OBJECTION_RAISED.typeName(), EventType.OBJECTION_ANSWERED.typeName(),
            EventType.OBJECTION_REAFFIRMED.typeName(), EventType.OBJECTION_WITHDRAWN.typeName(),
            EventType.OBJECTION_OVERRULED.typeName(), EventType.OBJECTION_LAPSED.typeName());
    public static final List<String> STAT_TYPES = List.of(
            EventType.PROPOSAL_SUBMITTED.typeName(), EventType.STAGE_ADVANCED.typeName(),
            EventType.PROPOSAL_WITHDRAWN.typeName(), EventType.OBJECTION_RAISED.typeName(),
            EventType.OBJECTION_LAPSED.typeName(), EventType.OBJECTION_OVERRULED.typeName());

    /** How long something took: how many, the median and the 90th percentile. */
    public record Durations(long count, Duration median, Duration p90) {
        static Durations of(List<Duration> values) {
            List<Duration> sorted = values.stream().sorted().toList();
            if (sorted.isEmpty()) {
                return new Durations(0, null, null);
            }
            return new Durations(sorted.size(), percentile(sorted, 50), percentile(sorted, 90));
        }

        /** The nearest-rank percentile. */
        static Duration percentile(List<Duration> sorted, int p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.size());
            return sorted.get(Math.max(0, rank - 1));
        }
    }

    public record Report(
            Instant at,
            Map<Stage, Long> proposalsPerStage,
            Map<Stage, Durations> timeInStage,
            Map<String, Durations> timeBeforeTransition,
            long objectionsRaised,
            long objectionsLapsed,
            long objectionsOverruled,
            long decisionsOverdueNow) {
    }

    /** An objection with the proposal it is about. */
    public record ProposalObjection(String proposal, ProposalHistory.Objection objection) {
    }

    public static List<ProposalObjection> objections(List<LoggedEvent> events) {
        Map<String, List<LoggedEvent>> byProposal = events.stream()
                .collect(Collectors.groupingBy(LoggedEvent::subject, TreeMap::new, Collectors.toList()));
        List<ProposalObjection> result = new ArrayList<>();
        byProposal.forEach((proposal, list) -> ProposalHistory.objectionsOf(list)
                .forEach(o -> result.add(new ProposalObjection(proposal, o))));
        return result;
    }

    /**
     * Stage counts are of each proposal's current stage; times in a stage are of completed stays
     * (entered, then left by an advance or a withdrawal). {@code decisionsOverdueNow} is what the
     * caller counted from the proposals' rows ({@link SummaryRow#decisionOverdue}): a decision
     * stops being overdue when a later eligibility-changed says the proposal is not eligible, which
     * the rows' fold keeps; read here, every such answer of the log (each carries every blocker)
     * would be read for each report, which {@code LogFolds} took care never to do.
     */
    public static Report report(List<LoggedEvent> events, long decisionsOverdueNow, Instant now) {
        Map<String, Stage> stage = new HashMap<>();
        Map<String, Instant> entered = new HashMap<>();
        Map<Stage, List<Duration>> stays = new EnumMap<>(Stage.class);
        Map<String, List<Duration>> transitions = new LinkedHashMap<>();
        long raised = 0;
        long lapsed = 0;
        long overruled = 0;
        for (LoggedEvent e : events) {
            String id = e.subject();
            if (e.data() instanceof ProposalSubmitted) {
                stage.put(id, Stage.DESIGN);
                entered.put(id, e.time());
            } else if (e.data() instanceof StageAdvanced a) {
                leave(id, a.from(), a.to(), e.time(), entered, stays, transitions);
                stage.put(id, a.to());
                entered.put(id, e.time());
            } else if (e.data() instanceof ProposalWithdrawn w) {
                leave(id, w.fromStage(), Stage.WITHDRAWN, e.time(), entered, stays, transitions);
                stage.put(id, Stage.WITHDRAWN);
                entered.put(id, e.time());
            } else if (e.type() == EventType.OBJECTION_RAISED) {
                raised++;
            } else if (e.type() == EventType.OBJECTION_LAPSED) {
                lapsed++;
            } else if (e.type() == EventType.OBJECTION_OVERRULED) {
                overruled++;
            }
        }
        Map<Stage, Long> perStage = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            perStage.put(s, 0L);
        }
        stage.values().forEach(s -> perStage.merge(s, 1L, Long::sum));
        Map<Stage, Durations> timeInStage = new EnumMap<>(Stage.class);
        stays.forEach((s, list) -> timeInStage.put(s, Durations.of(list)));
        Map<String, Durations> perTransition = new LinkedHashMap<>();
        transitions.forEach((t, list) -> perTransition.put(t, Durations.of(list)));
        return new Report(now, perStage, timeInStage, perTransition, raised, lapsed, overruled, decisionsOverdueNow);
    }

    private static void leave(String id, Stage from, Stage to, Instant at, Map<String, Instant> entered,
            Map<Stage, List<Duration>> stays, Map<String, List<Duration>> transitions) {
        Instant since = entered.get(id);
        if (since == null || from == null) {
            return;
        }
        Duration stay = Duration.between(since, at);
        stays.computeIfAbsent(from, s -> new ArrayList<>()).add(stay);
        transitions.computeIfAbsent(from + "->" + to, t -> new ArrayList<>()).add(stay);
    }

    private Statistics() {
    }
}
