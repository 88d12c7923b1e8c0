package org.pvlifecycle.consensus.api;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The policy document of docs/rules.md, durations as ISO-8601 text. {@code version} is ignored on PUT:
 * the service numbers versions. {@code components} is optional on PUT (none described when absent),
 * so that a document read from GET can be put back as it is.
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
        @NotNull Map<String, @NotNull List<@NotNull String>> maintainers,
        @Schema(description = "Optional: each component as a MAINTAINERS section describes it (PUT /policy/maintainers)")
        Map<String, Component> components) {

    static final Set<String> REVIEWED = Set.of("DESIGN", "PROTOTYPE", "PRODUCTION");
    /* The same shape as the event's schema requires of a contact. */
    private static final Pattern CONTACT = Pattern.compile("[^<>]*<[^<>\\s]+@[^<>\\s]+>");
    static final String SLUG_RULE = "must be a slug: 1 to 64 of a-z, 0-9 and -, not only dashes";

    /** A component's display name, its F: and X: patterns and its maintainers as {@code Name <address>}. */
    @Schema(description = "A component as a MAINTAINERS section describes it")
    public record Component(String title, List<String> files, List<String> excluded, List<String> contacts) {
    }

    static PolicyDocument of(Policy p) {
        Map<String, String> windows = new LinkedHashMap<>();
        for (Stage stage : Policy.REVIEWED_STAGES) {
            windows.put(stage.name(), iso(p.reviewWindow(stage)));
        }
        Map<String, Component> described = new TreeMap<>();
        p.components().forEach((id, c) -> described.put(id, new Component(c.title(), c.files(), c.excluded(),
                c.contacts())));
        return new PolicyDocument(p.version(), windows, iso(p.reReviewPeriod()), iso(p.responseWindow()),
                iso(p.czarDecisionWindow()), p.lateObjectionsBlock(), p.autoAdvance(), new TreeMap<>(p.maintainers()),
                described);
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
            if (!Policy.isComponentId(m.getKey())) {
                throw ProblemException.invalid("maintainers", "component " + m.getKey() + " " + SLUG_RULE);
            }
            if (m.getValue().stream().anyMatch(String::isBlank)) {
                throw ProblemException.invalid("maintainers." + m.getKey(), "names must not be blank");
            }
        }
        Map<String, List<String>> people = new TreeMap<>();
        maintainers.forEach((component, names) -> people.put(component, List.copyOf(names)));
        return new Policy(newVersion, Map.copyOf(windows), positive("reReviewPeriod", reReviewPeriod),
                positive("responseWindow", responseWindow), positive("czarDecisionWindow", czarDecisionWindow),
                lateObjectionsBlock, autoAdvance, Map.copyOf(people), described());
    }

    /** The described components, each checked; a description is only of a component that has maintainers listed. */
    private Map<String, Policy.Component> described() {
        Map<String, Policy.Component> checked = new TreeMap<>();
        if (components == null) {
            return checked;
        }
        for (Map.Entry<String, Component> e : components.entrySet()) {
            String field = "components." + e.getKey();
            Component c = e.getValue();
            if (!maintainers.containsKey(e.getKey())) {
                throw ProblemException.invalid(field, "describes a component that is not in maintainers");
            }
            if (c == null || c.title() == null || c.title().isBlank()) {
                throw ProblemException.invalid(field + ".title", "must not be blank");
            }
            List<String> files = patterns(field + ".files", c.files());
            List<String> excluded = patterns(field + ".excluded", c.excluded());
            List<String> contacts = c.contacts() == null ? List.of() : c.contacts();
            for (String contact : contacts) {
                if (contact == null || !CONTACT.matcher(contact).matches()) {
                    throw ProblemException.invalid(field + ".contacts", "each must be \"Name <address>\", not " + contact);
                }
            }
            checked.put(e.getKey(), new Policy.Component(c.title().strip(), files, excluded, contacts));
        }
        return checked;
    }

    private static List<String> patterns(String field, List<String> globs) {
        if (globs == null) {
            return List.of();
        }
        if (globs.stream().anyMatch(g -> g == null || g.isBlank())) {
            throw ProblemException.invalid(field, "patterns must not be blank");
        }
        return globs.stream().map(String::strip).toList();
    }

    /**
     * The longest duration a policy takes: ten years. Every deadline is a time plus a policy
     * duration, kept in PostgreSQL; with no bound, a window of P999999999D would end beyond the
     * years a database time holds, and every evaluation of a proposal under review would fail.
     */
    static final Duration LONGEST = Duration.ofDays(3650);
    private static final Pattern WEEKS = Pattern.compile("P(\\d{1,4})W", Pattern.CASE_INSENSITIVE);

    /** A positive ISO-8601 duration of at most {@link #LONGEST}: days and times, or whole weeks (P2W). */
    static Duration positive(String field, String text) {
        if (text == null) {
            throw ProblemException.invalid(field, "must be an ISO-8601 duration such as P14D or PT2S");
        }
        Duration d;
        try {
            Matcher weeks = WEEKS.matcher(text.strip());
            d = weeks.matches() ? Duration.ofDays(7L * Integer.parseInt(weeks.group(1))) : Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be an ISO-8601 duration such as P14D or PT2S");
        }
        if (d.isNegative() || d.isZero()) {
            throw ProblemException.invalid(field, "must be a positive duration");
        }
        if (d.compareTo(LONGEST) > 0) {
            throw ProblemException.invalid(field, "must be at most " + iso(LONGEST) + " (ten years)");
        }
        return d;
    }

    /** Whole days as P14D, as people write them; anything else as Java prints ISO-8601. */
    static String iso(Duration d) {
        if (d.toSeconds() % 86400 == 0 && d.toNanosPart() == 0) {
            return "P" + d.toDays() + "D";
        }
        return d.toString();
    }
}
