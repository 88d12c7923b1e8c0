package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.mail.domain.Knowledge.Component;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which components a trailer's scope names, with components as xen.git's MAINTAINERS describes them. */
class AckScopeTest {
    static final String X86 = "x86-architecture";
    static final String ARM = "arm-architecture";
    static final String REST = "the-rest";
    static final String IO = "public-i-o-interfaces-and-pv-drivers-designs";
    static final String TOOLS = "toolstack";
    static final String LIBXL = "libxenlight";
    static final List<String> ALL = List.of(X86, ARM, REST, IO, TOOLS, LIBXL);
    static final Map<String, Component> XEN = Map.of(
            X86, new Component("X86 ARCHITECTURE", List.of("xen/arch/x86/", "xen/include/public/arch-x86/",
                    "xen/include/xen/lib/x86/"), List.of("xen/arch/x86/acpi/lib.c"), true),
            ARM, new Component("ARM (W/ VIRTUALISATION EXTENSIONS) ARCHITECTURE", List.of("xen/arch/arm/",
                    "xen/include/public/arch-arm/", "xen/include/public/arch-arm.h"), List.of(), true),
            REST, new Component("THE REST", List.of("*", "*/"), List.of(), true),
            IO, new Component("PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS", List.of("xen/include/public/io/",
                    "docs/misc/pvcalls.pandoc"), List.of(), true),
            TOOLS, new Component("TOOLSTACK", List.of("tools/"), List.of(), true),
            LIBXL, new Component("LIBXENLIGHT", List.of("tools/libs/light/", "tools/xl/"), List.of(), true));

    static List<String> named(String scope) {
        return AckScope.of(scope).orElseThrow().named(ALL, XEN);
    }

    @Test
    void aWordNamesTheComponentsWithItInTheirIdOrTitle() {
        assertThat(named("x86")).containsExactly(X86);
        assertThat(named("Arm")).containsExactly(ARM);
        assertThat(named("x86, arm")).containsExactly(X86, ARM);
        assertThat(named("x86 + Arm")).containsExactly(X86, ARM);
        // Only its title says "virtualisation" and "toolstack" is its own word.
        assertThat(named("virtualisation extensions")).containsExactly(ARM);
        assertThat(named("toolstack")).containsExactly(TOOLS);
        assertThat(named("the rest")).containsExactly(REST);
        assertThat(named("pv drivers")).containsExactly(IO);
    }

    @Test
    void theWordsAroundTheAreaNameNothing() {
        assertThat(named("for the x86 parts")).containsExactly(X86);
        assertThat(named("only the Arm side")).containsExactly(ARM);
        assertThat(named("x86 and hypervisor")).containsExactly(X86);
        assertThat(AckScope.of("for the x86 parts").orElseThrow().words()).containsExactly("x86");
        assertThat(named("for the")).isEmpty();
    }

    @Test
    void onlyWholeWordsName() {
        assertThat(named("arm64")).isEmpty();
        assertThat(named("x86ish")).isEmpty();
        assertThat(named("tools")).isEmpty(); // a word: not "toolstack"; "tools/" is a path
        assertThat(named("hypervisor")).isEmpty();
        assertThat(named("I/O")).isEmpty(); // a path no pattern covers; "i" and "o" are no words
        assertThat(named("x86-64")).containsExactly(X86);
    }

    @Test
    void aPathNamesTheComponentsWhosePatternsCoverIt() {
        assertThat(named("xen/arch/x86/")).containsExactly(X86);
        assertThat(named("xen/arch/x86")).containsExactly(X86);
        assertThat(named("xen/arch/x86/hvm/vmsi.c")).containsExactly(X86);
        assertThat(named("(xen/arch/arm/).")).containsExactly(ARM);
        assertThat(named("xen/include/public/arch-arm.h")).containsExactly(ARM);
        assertThat(named("xen/include/public/io/")).containsExactly(IO);
        assertThat(named("tools/")).containsExactly(TOOLS);
        assertThat(named("tools/libs/light/libxl_pci.c")).containsExactly(TOOLS, LIBXL);
        assertThat(named("xen/arch/x86/, xen/arch/arm/")).containsExactly(X86, ARM);
    }

    @Test
    void aPathNamesNoComponentThroughACatchAllOrAnExclusionNorOneBelowIt() {
        // THE REST's "*" and "*/" match anything: they name nothing, whatever has a slash.
        assertThat(named("xen/common/sched/")).isEmpty();
        // X: xen/arch/x86/acpi/lib.c drops X86 for that file.
        assertThat(named("xen/arch/x86/acpi/lib.c")).isEmpty();
        // "xen/arch/" is above X86's and ARM's directories, not covered by them.
        assertThat(named("xen/arch/")).isEmpty();
        // Without the policy's patterns a path names nothing, and a word only by the ids.
        AckScope path = AckScope.of("xen/arch/x86/").orElseThrow();
        assertThat(path.named(ALL, Map.of())).isEmpty();
        assertThat(AckScope.of("virtualisation").orElseThrow().named(ALL, Map.of())).isEmpty();
        assertThat(AckScope.of("x86").orElseThrow().named(ALL, Map.of())).containsExactly(X86);
    }

    @Test
    void onlyTheCandidatesCountInTheirOrder() {
        AckScope scope = AckScope.of("arm, x86").orElseThrow();
        assertThat(scope.named(List.of(REST, X86, ARM), XEN)).containsExactly(X86, ARM);
        assertThat(scope.named(List.of(REST, IO), XEN)).isEmpty();
    }

    @Test
    void aBlankCommentIsNoScopeAndALongOneIsReadInPart() {
        assertThat(AckScope.of("")).isEmpty();
        assertThat(AckScope.of("   ")).isEmpty();
        AckScope huge = AckScope.of("x86 " + "a/".repeat(1 << 19) + " arm").orElseThrow();
        assertThat(huge.named(ALL, XEN)).containsExactly(X86);
        assertThat(huge.paths()).hasSize(1);
    }
}
