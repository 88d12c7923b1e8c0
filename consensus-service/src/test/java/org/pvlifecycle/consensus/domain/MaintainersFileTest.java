package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.paths.FilePattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.consensus.domain.MaintainersFile.Coverage;
import org.pvlifecycle.consensus.domain.MaintainersFile.Entry;
import org.pvlifecycle.consensus.domain.MaintainersFile.Person;
import org.pvlifecycle.consensus.domain.MaintainersFile.Section;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaintainersFileTest {

    static String resource(String name) {
        try (InputStream in = MaintainersFileTest.class.getResourceAsStream("/xen-maintainers/" + name)) {
            assertThat(in).as("test resource xen-maintainers/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> ids(List<Coverage> coverage) {
        return coverage.stream().map(c -> c.section().id()).toList();
    }

    /** xen.git's own MAINTAINERS (resource xen-maintainers/, README.txt there). */
    @Nested
    class TheRealXenFile {
        final MaintainersFile xen = MaintainersFile.parse(resource("MAINTAINERS"));

        @Test
        void skipsThePreambleAndReadsEverySection() {
            // The preamble describes the tags with indented "M: Maintainer: FullName <address@domain>" lines.
            assertThat(xen.sections()).hasSize(57);
            Section first = xen.sections().get(0);
            assertThat(first.title()).isEqualTo("9PFSD");
            assertThat(first.line()).isEqualTo(209);
            assertThat(first.maintainers()).extracting(Person::address)
                    .containsExactly("jgross@suse.com", "anthony.perard@vates.tech");
            assertThat(first.files()).extracting(FilePattern::glob).containsExactly("tools/9pfsd/");
        }

        @Test
        void thePvDriversDesignsSection() {
            Section io = xen.section("public-i-o-interfaces-and-pv-drivers-designs").orElseThrow();
            assertThat(io.title()).isEqualTo("PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS");
            assertThat(io.maintainers()).containsExactly(new Person("Juergen Gross", "jgross@suse.com"));
            assertThat(io.reviewers()).isEmpty();
            assertThat(io.status()).isEqualTo("Supported");
            assertThat(io.files()).extracting(FilePattern::glob).containsExactly("xen/include/public/io/");
        }

        @Test
        void theRestHasItsCommittersListVersionAndCatchAllPatterns() {
            Section rest = xen.section("the-rest").orElseThrow();
            assertThat(rest.isTheRest()).isTrue();
            assertThat(rest.maintainers()).hasSize(7)
                    .contains(new Person("Roger Pau Monné", "roger@xenproject.org"));
            assertThat(rest.values('L')).containsExactly("xen-devel@lists.xenproject.org");
            assertThat(rest.values('V')).containsExactly("xen-maintainers-1");
            assertThat(rest.files()).extracting(FilePattern::glob).containsExactly("*", "*/");
        }

        @Test
        void keepsReviewersApartAndKeywordsAsEntries() {
            Section amd = xen.section("amd-iommu").orElseThrow();
            assertThat(amd.reviewers()).extracting(Person::address)
                    .containsExactly("jason.andryuk@amd.com", "teddy.astie@vates.tech");
            assertThat(amd.maintainers()).extracting(Person::address).doesNotContain("jason.andryuk@amd.com");
            Section flask = xen.section("xsm-flask").orElseThrow();
            assertThat(flask.entries()).filteredOn(e -> e.tag() == 'K').extracting(Entry::value)
                    .containsExactly("xsm_.*", "\\b(xsm|XSM)\\b");
        }

        @Test
        void everyIdIsItsTitlesSlugAndUnique() {
            assertThat(xen.sections()).allSatisfy(s -> assertThat(s.id()).isEqualTo(MaintainersFile.slug(s.title())));
            assertThat(xen.sections()).extracting(Section::id).doesNotHaveDuplicates();
            assertThat(xen.section("arm-w-virtualisation-extensions-architecture")).isPresent();
        }

        @Test
        void aDesignDocumentUnderDocsMiscFallsToTheRestOnly() {
            assertThat(ids(xen.coverage("docs/misc/pvcalls.pandoc"))).containsExactly("the-rest");
            assertThat(xen.componentsFor(List.of("docs/misc/pvcalls.pandoc"))).containsExactly("the-rest");
        }

        @Test
        void aPublicIoHeaderIsThePvDriversDesignsSectionAndNotTheRest() {
            assertThat(ids(xen.coverage("xen/include/public/io/pvcalls.h")))
                    .containsExactly("public-i-o-interfaces-and-pv-drivers-designs");
            assertThat(xen.componentsFor(List.of("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h")))
                    .containsExactly("the-rest", "public-i-o-interfaces-and-pv-drivers-designs");
        }

        @Test
        void nestedSectionsComeMostSpecificFirst() {
            assertThat(xen.coverage("xen/arch/x86/mm/shadow/multi.c"))
                    .extracting(c -> c.section().id() + ":" + c.depth())
                    .containsExactly("x86-shadow-pagetables:5", "x86-architecture:3");
            assertThat(ids(xen.coverage("xen/arch/arm/livepatch.c")))
                    .containsExactly("livepatch", "arm-w-virtualisation-extensions-architecture");
        }

        @Test
        void anExclusionHandsASubdirectoryToItsOwnSection() {
            assertThat(ids(xen.coverage("xen/drivers/passthrough/pci.c")))
                    .containsExactly("iommu-vendor-independent-code");
            assertThat(ids(xen.coverage("xen/drivers/passthrough/amd/iommu_init.c"))).containsExactly("amd-iommu");
        }

        @Test
        void aGlobInTheFirstSegmentAndAnOrphanSection() {
            assertThat(ids(xen.coverage("docs/misc/xenstore.txt"))).containsExactly("xenstore");
            // REMUS is an orphan: without a maintainer of its own, THE REST stays.
            assertThat(ids(xen.coverage("docs/README.remus"))).containsExactly("remus", "the-rest");
        }

        @Test
        void mapsComponentsToMaintainerAddresses() {
            assertThat(xen.maintainerAddresses()).hasSize(57)
                    .containsEntry("public-i-o-interfaces-and-pv-drivers-designs", List.of("jgross@suse.com"))
                    .containsEntry("remus", List.of());
        }
    }

    static final String SMALL = """
            Maintainers of a small tree
            ===========================

            \tM: Maintainer: FullName <address@domain>
            \tF: Files and directories with wildcard patterns.

            NET DRIVERS
            M:\tAlice Example <Alice@Example.ORG>
            R:\t"Bob Reviewer" <bob@example.org>
            S:\tSupported
            F:\tdrivers/net/
            X:\tdrivers/net/wireless/

            NET CORE FILES
            M:\tcarol@example.org
            F:\tdrivers/net/*
            F:\tdrivers/net/core.{c,h}

            WIRELESS
            M:\tDan <dan@example.org>

            F:\tdrivers/net/wireless/
            F:\tinclude/net/wl?.h

            NET DRIVERS
            M:\tEve <eve@example.org>
            F:\t*/net/*

            TOOLS
            M:\tFay <fay@example.org>
            F:\ttools/python

            Net drivers!
            M:\tGil <gil@example.org>
            F:\tnet-extra/

            THE REST
            M:\tZed <zed@example.org>
            F:\t*
            F:\t*/
            """;

    @Nested
    class AHandMadeFile {
        final MaintainersFile small = MaintainersFile.parse(SMALL);

        @Test
        void readsTitlesPeopleAndPatterns() {
            assertThat(small.sections()).extracting(Section::title).containsExactly("NET DRIVERS", "NET CORE FILES",
                    "WIRELESS", "NET DRIVERS", "TOOLS", "Net drivers!", "THE REST");
            Section net = small.sections().get(0);
            assertThat(net.maintainers()).containsExactly(new Person("Alice Example", "alice@example.org"));
            assertThat(net.reviewers()).containsExactly(new Person("Bob Reviewer", "bob@example.org"));
            assertThat(net.excludes()).extracting(FilePattern::glob).containsExactly("drivers/net/wireless/");
            assertThat(small.sections().get(1).maintainers()).containsExactly(new Person("", "carol@example.org"));
            assertThat(small.sections().get(2).files()).hasSize(2); // a blank line between tagged lines is fine
        }

        @Test
        void duplicateSlugsGetTheFirstFreeNumberInFileOrder() {
            assertThat(small.sections()).extracting(Section::id).containsExactly("net-drivers", "net-core-files",
                    "wireless", "net-drivers-2", "tools", "net-drivers-3", "the-rest");
        }

        @Test
        void aTrailingSlashCoversEverythingBelowButNotTheExcludedSubdirectory() {
            assertThat(ids(small.coverage("drivers/net/e1000/main.c"))).containsExactly("net-drivers");
            assertThat(ids(small.coverage("drivers/net/wireless/ath/ath9k.c"))).containsExactly("wireless");
        }

        @Test
        void overlappingPatternsListEveryCoveringSectionMostSpecificFirst() {
            assertThat(small.coverage("drivers/net/core.c"))
                    .extracting(c -> c.section().id() + ":" + c.depth())
                    .containsExactly("net-core-files:3", "net-drivers:2", "net-drivers-2:-1");
        }

        @Test
        void aStarStaysWithinItsSegment() {
            // drivers/net/* is "all files in drivers/net, but not below".
            assertThat(ids(small.coverage("drivers/net/e1000/main.c"))).doesNotContain("net-core-files");
            assertThat(ids(small.coverage("include/net/wl1.h"))).containsExactly("wireless", "net-drivers-2");
            assertThat(ids(small.coverage("include/net/wl12.h"))).containsExactly("net-drivers-2");
        }

        @Test
        void aPatternWithoutGlobNamesADirectoryWhenAPathIsBelowIt() {
            assertThat(ids(small.coverage("tools/python/setup.py"))).containsExactly("tools");
            assertThat(ids(small.coverage("tools/python"))).containsExactly("tools");
            assertThat(ids(small.coverage("tools/pythonic.c"))).containsExactly("the-rest");
        }

        @Test
        void theRestOnlyWhenNoOtherMaintainedSectionCoversThePath() {
            assertThat(ids(small.coverage("README"))).containsExactly("the-rest");
            assertThat(ids(small.coverage("docs/intro.md"))).containsExactly("the-rest");
            assertThat(ids(small.coverage("net-extra/x.c"))).containsExactly("net-drivers-3");
        }

        @Test
        void componentsOfSeveralPathsEachOnceInTheOrderFound() {
            assertThat(small.componentsFor(List.of("drivers/net/core.c", "drivers/net/e1000/main.c", "README",
                    "./drivers/net/wireless/x.c")))
                    .containsExactly("net-core-files", "net-drivers", "net-drivers-2", "the-rest", "wireless");
        }
    }

    @Nested
    class MalformedText {
        static final String HEAD = "Preamble\n\nNET\nM:\tAlice <alice@example.org>\n";

        @Test
        void aBrokenTagInsideASectionIsRefusedWithItsLine() {
            assertThatThrownBy(() -> MaintainersFile.parse(HEAD + "M  Bob <bob@example.org>\nF:\tnet/\n"))
                    .isInstanceOf(MaintainersFormatException.class)
                    .hasMessage("MAINTAINERS line 5: \"M  Bob <bob@example.org>\" is not a tagged entry"
                            + " (\"X:\\tvalue\"), and a section title needs a blank line above it")
                    .extracting(e -> ((MaintainersFormatException) e).line()).isEqualTo(5);
        }

        @Test
        void aLowerCaseTagIsNotATag() {
            assertThatThrownBy(() -> MaintainersFile.parse(HEAD + "f:\tnet/\n"))
                    .isInstanceOf(MaintainersFormatException.class).hasMessageStartingWith("MAINTAINERS line 5: ");
        }

        @Test
        void aMaintainerWithoutAnAddress() {
            assertThatThrownBy(() -> MaintainersFile.parse(HEAD + "M:\tBob Nobody\n"))
                    .hasMessage("MAINTAINERS line 5: M: needs \"Name <address>\", not \"Bob Nobody\"");
        }

        @Test
        void aTitleWithoutEntries() {
            assertThatThrownBy(() -> MaintainersFile.parse(HEAD + "\nLONELY\n\nOTHER\nF:\tx/\n"))
                    .hasMessage("MAINTAINERS line 6: section \"LONELY\" has no tagged entries");
            assertThatThrownBy(() -> MaintainersFile.parse(HEAD + "\nLAST\n"))
                    .hasMessage("MAINTAINERS line 6: section \"LAST\" has no tagged entries");
        }

        @Test
        void anEmptyPatternATitleOfPunctuationAndATextWithoutSections() {
            assertThatThrownBy(() -> MaintainersFile.parse(HEAD + "F:\n"))
                    .hasMessage("MAINTAINERS line 5: F: without a file pattern");
            assertThatThrownBy(() -> MaintainersFile.parse("***\nM:\ta@b.c\n"))
                    .hasMessage("MAINTAINERS line 1: section title \"***\" has no letter or digit");
            assertThatThrownBy(() -> MaintainersFile.parse("just prose\n\tM: indented\n"))
                    .isInstanceOf(MaintainersFormatException.class).hasMessageContaining("no section");
            assertThatThrownBy(() -> MaintainersFile.parse("\nM:\ta@b.c\n"))
                    .hasMessage("MAINTAINERS line 2: a tagged entry before any section title");
        }
    }

    /**
     * A pattern that backtracks over such a line overflows the stack or never ends; the build's
     * fork timeout ends the latter, so no wall-clock bound is asserted here.
     */
    @Test
    void aMegabyteLineIsReadWhole() {
        String spaces = " ".repeat(1 << 20);
        String text = "NET\nM:" + spaces + "Alice" + spaces + "<alice@example.org>" + spaces + "\nF:\tnet/\n";
        assertThat(MaintainersFile.parse(text).sections().get(0).maintainers()).extracting(Person::address)
                .containsExactly("alice@example.org");
    }

    @Test
    void uniqueIdsStayWithinSixtyFourCharacters() {
        String slug = "a".repeat(63) + "b";
        Set<String> taken = new java.util.HashSet<>(Set.of(slug));
        assertThat(MaintainersFile.uniqueId(slug, taken)).isEqualTo("a".repeat(62) + "-2");
        String dashed = "a".repeat(61) + "-bc";
        taken.add(dashed);
        assertThat(MaintainersFile.uniqueId(dashed, taken)).isEqualTo("a".repeat(61) + "-2");
    }
}
