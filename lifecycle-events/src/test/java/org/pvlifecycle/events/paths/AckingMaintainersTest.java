package org.pvlifecycle.events.paths;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Stage;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whose ack counts for each component of a policy set from a MAINTAINERS file (docs/rules.md#policy). */
class AckingMaintainersTest {

    static PolicyChanged policy(Map<String, List<String>> maintainers, Map<String, PolicyChanged.Component> described) {
        return new PolicyChanged(2, Map.of(Stage.DESIGN, Duration.ofDays(14), Stage.PROTOTYPE, Duration.ofDays(14),
                Stage.PRODUCTION, Duration.ofDays(28)), Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(7), false,
                false, maintainers, described);
    }

    static PolicyChanged.Component section(String title) {
        return new PolicyChanged.Component(title, List.of("x/"), List.of(), List.of());
    }

    @Test
    void anOrphanSectionsAckComesFromTheRestsMaintainers() {
        Map<String, List<String>> maintainers = new LinkedHashMap<>();
        maintainers.put("argo", List.of());
        maintainers.put("public-i-o", List.of("jgross@suse.com"));
        maintainers.put("the-rest", List.of("andrew.cooper3@citrix.com", "roger@xenproject.org"));
        Map<String, PolicyChanged.Component> described = new LinkedHashMap<>();
        described.put("argo", section("ARGO"));
        described.put("public-i-o", section("PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS"));
        described.put("the-rest", section("THE REST"));

        Map<String, List<String>> acking = PathCoverage.ackingMaintainers(policy(maintainers, described));
        assertThat(acking.get("argo")).containsExactly("andrew.cooper3@citrix.com", "roger@xenproject.org");
        assertThat(acking.get("public-i-o")).containsExactly("jgross@suse.com");
        assertThat(acking.get("the-rest")).containsExactly("andrew.cooper3@citrix.com", "roger@xenproject.org");
        assertThat(PathCoverage.isOrphan("ARGO", List.of())).isTrue();
        assertThat(PathCoverage.isOrphan("THE REST", List.of())).isFalse();
        assertThat(PathCoverage.isOrphan("PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS", List.of("jgross@suse.com")))
                .isFalse();
    }

    @Test
    void aPolicyWithoutAMaintainersFileKeepsItsListsAsTheyAre() {
        Map<String, List<String>> maintainers = Map.of("linux-frontend", List.of("alice"), "orphaned", List.of());
        assertThat(PathCoverage.ackingMaintainers(policy(maintainers, null))).isEqualTo(maintainers);
        // Without THE REST, an orphan has no one to stand in.
        assertThat(PathCoverage.ackingMaintainers(policy(maintainers, Map.of("orphaned", section("ORPHANED")))))
                .containsEntry("orphaned", List.of()).containsEntry("linux-frontend", List.of("alice"));
    }
}
