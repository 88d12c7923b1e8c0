package org.pvlifecycle.events.paths;

import org.pvlifecycle.events.PolicyChanged;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which components cover a repository path, as xen.git's {@code scripts/get_maintainer.pl} finds
 * a path's sections: every component with an {@code F:} pattern matching the path and no {@code X:}
 * pattern matching it (an exclusion drops the whole component for that path), most specific first
 * ({@link FilePattern#depth()}, the deepest matching pattern; the given order among equals).
 * {@code THE REST}, the catch-all, is left out when another covering component has a maintainer,
 * as the script leaves out its supporters then. In the contract module because the policy's
 * component descriptions ({@link PolicyChanged.Component}) carry the patterns, and whoever reads
 * them must read them the same way.
 */
public final class PathCoverage {
    /** The catch-all section's title in xen.git's MAINTAINERS. */
    public static final String THE_REST = "THE REST";

    private PathCoverage() {
    }

    /** A component as far as paths go: its patterns, and whether it is the catch-all and has a maintainer. */
    public record Area(String id, boolean theRest, boolean maintained, List<FilePattern> files,
            List<FilePattern> excluded) {
        public Area {
            files = List.copyOf(files);
            excluded = List.copyOf(excluded);
        }

        /** The depth of this area's most specific pattern matching the path, if it covers the path. */
        public Optional<Integer> depth(String path) {
            if (excluded.stream().anyMatch(x -> x.matches(path))) {
                return Optional.empty();
            }
            return files.stream().filter(f -> f.matches(path)).map(FilePattern::depth).max(Integer::compare);
        }
    }

    /** An area covering a path, and how specifically. */
    public record Covered(Area area, int depth) {
    }

    /** The areas covering the path, most specific first (the class comment says which). */
    public static List<Covered> coverage(List<Area> areas, String path) {
        List<Covered> covering = new ArrayList<>();
        for (Area a : areas) {
            a.depth(path).ifPresent(depth -> covering.add(new Covered(a, depth)));
        }
        covering.sort(Comparator.comparingInt(Covered::depth).reversed());
        if (covering.stream().anyMatch(c -> !c.area().theRest() && c.area().maintained())) {
            covering.removeIf(c -> c.area().theRest());
        }
        return List.copyOf(covering);
    }

    /** The ids of the areas covering any of the paths, most specific first per path, each once. */
    public static List<String> componentsFor(List<Area> areas, Collection<String> paths) {
        Set<String> ids = new LinkedHashSet<>();
        for (String path : paths) {
            coverage(areas, path).forEach(c -> ids.add(c.area().id()));
        }
        return List.copyOf(ids);
    }

    /**
     * Whether a component the policy describes with {@code title} and {@code maintainers} is an
     * orphan: a MAINTAINERS section without {@code M:} (xen.git has ARGO, REMUS and others), which
     * THE REST itself is not.
     */
    public static boolean isOrphan(String title, List<String> maintainers) {
        return title != null && !THE_REST.equalsIgnoreCase(title) && (maintainers == null || maintainers.isEmpty());
    }

    /**
     * Whose ack is a maintainer's ack, per component: its own maintainers; for an orphan, THE
     * REST's, the "more general level maintainer" the MAINTAINERS file asks for when a section has
     * none (docs/rules.md#policy). A component the policy does not describe keeps its own list.
     */
    public static Map<String, List<String>> ackingMaintainers(PolicyChanged policy) {
        Map<String, List<String>> own = policy.maintainers() == null ? Map.of() : policy.maintainers();
        Map<String, PolicyChanged.Component> described = policy.components() == null ? Map.of() : policy.components();
        List<String> theRest = described.entrySet().stream()
                .filter(c -> THE_REST.equalsIgnoreCase(c.getValue().title()))
                .flatMap(c -> own.getOrDefault(c.getKey(), List.of()).stream()).distinct().toList();
        Map<String, List<String>> acking = new LinkedHashMap<>(own);
        described.forEach((id, c) -> {
            if (isOrphan(c.title(), own.get(id))) {
                acking.put(id, theRest);
            }
        });
        return acking;
    }

    /**
     * The areas a policy describes, in its order: each described component with its patterns, a
     * maintainer when the policy names one for it. None when the policy describes no components.
     */
    public static List<Area> of(PolicyChanged policy) {
        if (policy.components() == null) {
            return List.of();
        }
        List<Area> areas = new ArrayList<>();
        for (Map.Entry<String, PolicyChanged.Component> c : policy.components().entrySet()) {
            List<String> maintainers = policy.maintainers() == null ? null : policy.maintainers().get(c.getKey());
            areas.add(new Area(c.getKey(), THE_REST.equalsIgnoreCase(c.getValue().title()),
                    maintainers != null && !maintainers.isEmpty(),
                    c.getValue().files().stream().map(FilePattern::new).toList(),
                    c.getValue().excluded().stream().map(FilePattern::new).toList()));
        }
        return areas;
    }
}
