package org.pvlifecycle.consensus.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

/** The component id rule of MaintainersFile over generated titles; the seed is printed on failure (-DQT_SEED replays it). */
class MaintainersFileSlugTest {

    @Test
    void examplesFromTheSpecOfTheRule() {
        assertThat(MaintainersFile.slug("PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS"))
                .isEqualTo("public-i-o-interfaces-and-pv-drivers-designs");
        assertThat(MaintainersFile.slug("ARM (W/ VIRTUALISATION EXTENSIONS) ARCHITECTURE"))
                .isEqualTo("arm-w-virtualisation-extensions-architecture");
        assertThat(MaintainersFile.slug("  --XSM/FLASK--  ")).isEqualTo("xsm-flask");
        assertThat(MaintainersFile.slug("Intel(R) VT-d")).isEqualTo("intel-r-vt-d");
        assertThat(MaintainersFile.slug("Roger Pau Monné")).isEqualTo("roger-pau-monn");
        assertThat(MaintainersFile.slug("?!")).isEmpty();
    }

    @Test
    void aCutAtSixtyFourDropsTheDashItLeaves() {
        String title = "A".repeat(63) + " B";
        assertThat(MaintainersFile.slug(title)).isEqualTo("a".repeat(63));
        assertThat(MaintainersFile.slug("X".repeat(70))).isEqualTo("x".repeat(64));
    }

    @Test
    void everySlugIsLowerCaseRunsJoinedBySingleDashesWithinSixtyFourAndStable() {
        qt().withExamples(2000).forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 90)).checkAssert(title -> {
            String slug = MaintainersFile.slug(title);
            assertThat(slug).matches("([a-z0-9]+(-[a-z0-9]+)*)?");
            assertThat(slug.length()).isLessThanOrEqualTo(MaintainersFile.MAX_ID_LENGTH);
            assertThat(MaintainersFile.slug(slug)).isEqualTo(slug);
            assertThat(MaintainersFile.slug(title.toLowerCase())).isEqualTo(slug);
        });
    }

    @Test
    void idsGivenInTurnAreDistinctSlugLikeAndWithinSixtyFour() {
        qt().withExamples(500)
                .forAll(lists().of(strings().betweenCodePoints('A', 'D').ofLengthBetween(1, 70)).ofSizeBetween(1, 12))
                .checkAssert(titles -> {
                    Set<String> taken = new HashSet<>();
                    List<String> ids = new ArrayList<>();
                    for (String title : titles) {
                        ids.add(MaintainersFile.uniqueId(MaintainersFile.slug(title), taken));
                    }
                    assertThat(ids).doesNotHaveDuplicates();
                    assertThat(ids).allSatisfy(id -> {
                        assertThat(id.length()).isLessThanOrEqualTo(MaintainersFile.MAX_ID_LENGTH);
                        assertThat(id).matches("[a-z0-9]+(-[a-z0-9]+)*");
                    });
                    assertThat(ids.get(0)).isEqualTo(MaintainersFile.slug(titles.get(0)));
                });
    }
}
