package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.paths.PathCoverage;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The lazy-consensus policy (docs/rules.md), versioned; version 1 is the defaults.
 * {@code components} describes components beyond their maintainers (a MAINTAINERS file's titles,
 * patterns and addresses); empty when the policy was written without one.
 */
public record Policy(
        long version,
        Map<Stage, Duration> reviewWindows,
        Duration reReviewPeriod,
        Duration responseWindow,
        Duration czarDecisionWindow,
        boolean lateObjectionsBlock,
        boolean autoAdvance,
        Map<String, List<String>> maintainers,
        Map<String, Component> components) {

    public static final List<Stage> REVIEWED_STAGES = List.of(Stage.DESIGN, Stage.PROTOTYPE, Stage.PRODUCTION);

    /*
     * Wide enough for every slug MaintainersFile makes (1 to 64 characters) and for every name the
     * earlier [a-z0-9-]{2,40} allowed, so no policy that was accepted before is refused now.
     */
    private static final Pattern COMPONENT_ID = Pattern.compile("(?=.*[a-z0-9])[a-z0-9-]{1," + MaintainersFile.MAX_ID_LENGTH + "}");

    /** A component as a MAINTAINERS section describes it; {@code contacts} are its maintainers as {@code Name <address>}. */
    public record Component(String title, List<String> files, List<String> excluded, List<String> contacts) {
        public Component {
            files = List.copyOf(files);
            excluded = List.copyOf(excluded);
            contacts = List.copyOf(contacts);
        }
    }

    public Policy {
        components = components == null ? Map.of() : components;
    }

    /** A policy that describes its components by their maintainers only. */
    public Policy(long version, Map<Stage, Duration> reviewWindows, Duration reReviewPeriod, Duration responseWindow,
            Duration czarDecisionWindow, boolean lateObjectionsBlock, boolean autoAdvance,
            Map<String, List<String>> maintainers) {
        this(version, reviewWindows, reReviewPeriod, responseWindow, czarDecisionWindow, lateObjectionsBlock,
                autoAdvance, maintainers, Map.of());
    }

    public static Policy defaults() {
        Map<Stage, Duration> windows = new EnumMap<>(Stage.class);
        windows.put(Stage.DESIGN, Duration.ofDays(14));
        windows.put(Stage.PROTOTYPE, Duration.ofDays(14));
        windows.put(Stage.PRODUCTION, Duration.ofDays(28));
        return new Policy(1, Map.copyOf(windows), Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(7), false,
                false, Map.of("linux-frontend", List.of("alice"), "qemu-backend", List.of("bob")));
    }

    /** Whether {@code id} may name a component: a slug of 1 to 64 of a-z, 0-9 and -, not only dashes. */
    public static boolean isComponentId(String id) {
        return id != null && COMPONENT_ID.matcher(id).matches();
    }

    public Duration reviewWindow(Stage stage) {
        return reviewWindows.getOrDefault(stage, Duration.ofDays(14));
    }

    /**
     * Whether an ack by {@code person} is a maintainer's ack for {@code component}. An orphan (a
     * section of the MAINTAINERS file without {@code M:}; xen.git has ARGO, REMUS and others)
     * has no maintainer of its own, and the file asks then for "a more general level maintainer":
     * THE REST's maintainers stand in, so that its ack can be given at all.
     */
    public boolean isMaintainer(String person, String component) {
        List<String> own = maintainers.getOrDefault(component, List.of());
        if (own.isEmpty() && isOrphan(component)) {
            return components.entrySet().stream()
                    .filter(c -> PathCoverage.THE_REST.equalsIgnoreCase(c.getValue().title()))
                    .anyMatch(c -> maintainers.getOrDefault(c.getKey(), List.of()).contains(person));
        }
        return own.contains(person);
    }

    /** A component the MAINTAINERS file describes without a maintainer of its own (but THE REST itself). */
    public boolean isOrphan(String component) {
        Component described = components.get(component);
        return described != null && PathCoverage.isOrphan(described.title(), maintainers.get(component));
    }

    /** This policy at {@code newVersion} with other maintainers and component descriptions; the rest stays. */
    public Policy withComponents(long newVersion, Map<String, List<String>> people, Map<String, Component> described) {
        return new Policy(newVersion, reviewWindows, reReviewPeriod, responseWindow, czarDecisionWindow,
                lateObjectionsBlock, autoAdvance, people, described);
    }

    public PolicyChanged toEvent() {
        Map<String, PolicyChanged.Component> described = null;
        if (!components.isEmpty()) {
            described = new LinkedHashMap<>();
            for (Map.Entry<String, Component> c : components.entrySet()) {
                Component v = c.getValue();
                described.put(c.getKey(), new PolicyChanged.Component(v.title(), v.files(), v.excluded(), v.contacts()));
            }
        }
        return new PolicyChanged(version, reviewWindows, reReviewPeriod, responseWindow, czarDecisionWindow,
                lateObjectionsBlock, autoAdvance, maintainers, described);
    }

    public static Policy of(PolicyChanged e) {
        Map<String, Component> described = new LinkedHashMap<>();
        if (e.components() != null) {
            e.components().forEach((id, c) -> described.put(id, new Component(c.title(), orEmpty(c.files()),
                    orEmpty(c.excluded()), orEmpty(c.contacts()))));
        }
        return new Policy(e.version(), Map.copyOf(e.reviewWindows()), e.reReviewPeriod(), e.responseWindow(),
                e.czarDecisionWindow(), e.lateObjectionsBlock(), e.autoAdvance(), Map.copyOf(e.maintainers()),
                java.util.Collections.unmodifiableMap(described));
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
