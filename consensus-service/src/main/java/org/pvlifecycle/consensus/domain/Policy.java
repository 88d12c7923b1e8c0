package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Stage;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The lazy-consensus policy (docs/rules.md), versioned; version 1 is the defaults. */
public record Policy(
        long version,
        Map<Stage, Duration> reviewWindows,
        Duration reReviewPeriod,
        Duration responseWindow,
        Duration czarDecisionWindow,
        boolean lateObjectionsBlock,
        boolean autoAdvance,
        Map<String, List<String>> maintainers) {

    public static final List<Stage> REVIEWED_STAGES = List.of(Stage.DESIGN, Stage.PROTOTYPE, Stage.PRODUCTION);

    public static Policy defaults() {
        Map<Stage, Duration> windows = new EnumMap<>(Stage.class);
        windows.put(Stage.DESIGN, Duration.ofDays(14));
        windows.put(Stage.PROTOTYPE, Duration.ofDays(14));
        windows.put(Stage.PRODUCTION, Duration.ofDays(28));
        return new Policy(1, Map.copyOf(windows), Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(7), false,
                false, Map.of("linux-frontend", List.of("alice"), "qemu-backend", List.of("bob")));
    }

    public Duration reviewWindow(Stage stage) {
        return reviewWindows.getOrDefault(stage, Duration.ofDays(14));
    }

    public boolean isMaintainer(String person, String component) {
        return maintainers.getOrDefault(component, List.of()).contains(person);
    }

    public PolicyChanged toEvent() {
        return new PolicyChanged(version, reviewWindows, reReviewPeriod, responseWindow, czarDecisionWindow,
                lateObjectionsBlock, autoAdvance, maintainers);
    }

    public static Policy of(PolicyChanged e) {
        return new Policy(e.version(), Map.copyOf(e.reviewWindows()), e.reReviewPeriod(), e.responseWindow(),
                e.czarDecisionWindow(), e.lateObjectionsBlock(), e.autoAdvance(), Map.copyOf(e.maintainers()));
    }
}
