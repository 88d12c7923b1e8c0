package org.pvlifecycle.consensus.api;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.pvlifecycle.consensus.domain.Policy;
import org.pvlifecycle.conventions.rest.ProblemException;
import org.pvlifecycle.events.Stage;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The policy document of docs/rules.md, durations as ISO-8601 text. {@code version} is ignored on PUT:
 * the service numbers versions.
 */
@Schema(description = "The lazy-consensus policy; durations are ISO-8601 (P14D, PT2S)")
public record PolicyDocument(
        Long version,
        @NotNull Map<String, String> reviewWindows,
        @NotNull String reReviewPeriod,
        @NotNull String responseWindow,
        @NotNull String czarDecisionWindow,
        boolean lateObjectionsBlock,
        boolean autoAdvance,
        @NotNull Map<String, @NotNull @NotEmpty List<@NotNull String>> maintainers) {

    static final Set<String> REVIEWED = Set.of("DESIGN", "PROTOTYPE", "PRODUCTION");

    static PolicyDocument of(Policy p) {
        Map<String, String> windows = new LinkedHashMap<>();
        for (Stage stage : Policy.REVIEWED_STAGES) {
            windows.put(stage.name(), iso(p.reviewWindow(stage)));
        }
        return new PolicyDocument(p.version(), windows, iso(p.reReviewPeriod()), iso(p.responseWindow()),
                iso(p.czarDecisionWindow()), p.lateObjectionsBlock(), p.autoAdvance(), new TreeMap<>(p.maintainers()));
    }

    /** The policy this document describes, at {@code version}; refuses with the field at fault. */
    Policy toPolicy(long newVersion) {
        if (!reviewWindows.keySet().equals(REVIEWED)) {
            throw ProblemException.invalid("reviewWindows", "must give exactly DESIGN, PROTOTYPE and PRODUCTION");
        }
        Map<Stage, Duration> windows = new EnumMap<>(Stage.class);
        for (Map.Entry<String, String> w : reviewWindows.entrySet()) {
            windows.put(Stage.valueOf(w.getKey()), positive("reviewWindows." + w.getKey(), w.getValue()));
        }
        for (Map.Entry<String, List<String>> m : maintainers.entrySet()) {
            if (!m.getKey().matches("[a-z0-9-]{2,40}")) {
                throw ProblemException.invalid("maintainers", "component " + m.getKey() + " is not a slug");
            }
            if (m.getValue().stream().anyMatch(String::isBlank)) {
                throw ProblemException.invalid("maintainers." + m.getKey(), "names must not be blank");
            }
        }
        Map<String, List<String>> people = new TreeMap<>();
        maintainers.forEach((component, names) -> people.put(component, List.copyOf(names)));
        return new Policy(newVersion, Map.copyOf(windows), positive("reReviewPeriod", reReviewPeriod),
                positive("responseWindow", responseWindow), positive("czarDecisionWindow", czarDecisionWindow),
                lateObjectionsBlock, autoAdvance, Map.copyOf(people));
    }

    static Duration positive(String field, String text) {
        if (text == null) {
            throw ProblemException.invalid(field, "must be an ISO-8601 duration such as P14D or PT2S");
        }
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw ProblemException.invalid(field, "must be a positive duration");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be an ISO-8601 duration such as P14D or PT2S");
        }
    }

    /** Whole days as P14D, as people write them; anything else as Java prints ISO-8601. */
    static String iso(Duration d) {
        if (d.toSeconds() % 86400 == 0 && d.toNanosPart() == 0) {
            return "P" + d.toDays() + "D";
        }
        return d.toString();
    }
}
