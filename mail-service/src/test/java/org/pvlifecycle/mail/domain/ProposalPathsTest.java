package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProposalPathsTest {
    static final String HEADER = "xen/include/public/io/pvcalls.h";

    @Test
    void aWholePathIsCoveredByItselfOrADirectoryAboveIt() {
        assertThat(ProposalPaths.covers(HEADER, HEADER)).isTrue();
        assertThat(ProposalPaths.covers("xen/include/public/", HEADER)).isTrue();
        assertThat(ProposalPaths.covers("xen/", HEADER)).isTrue();
        assertThat(ProposalPaths.covers("xen/include/public", HEADER)).isFalse(); // a file of that name, not a directory
        assertThat(ProposalPaths.covers("public/io/pvcalls.h", HEADER)).isFalse();
        assertThat(ProposalPaths.covers("xen/include/public/io/pvcalls.h.orig", HEADER)).isFalse();
        assertThat(ProposalPaths.covers(List.of("docs/misc/pvcalls.pandoc", "xen/include/"), HEADER)).isTrue();
    }

    @Test
    void aShortenedPathIsCoveredByAPathEndingWithItsTail() {
        String shortened = ".../public/io/pvcalls.h";
        assertThat(ProposalPaths.isShortened(shortened)).isTrue();
        assertThat(ProposalPaths.tail(shortened)).isEqualTo("/public/io/pvcalls.h");
        assertThat(ProposalPaths.covers(HEADER, shortened)).isTrue();
        assertThat(ProposalPaths.covers("tools/include/xen/public/io/pvcalls.h", shortened)).isTrue();
        // Git cut something off: the path is longer than its tail.
        assertThat(ProposalPaths.covers("public/io/pvcalls.h", shortened)).isFalse();
        assertThat(ProposalPaths.covers("xen/include/public/io/xpvcalls.h", shortened)).isFalse();
    }

    @Test
    void aShortenedPathIsCoveredByADirectoryOnlyWhereItsTailBeginsInIt() {
        String shortened = ".../public/io/pvcalls.h";
        assertThat(ProposalPaths.covers("xen/include/public/", shortened)).isTrue();
        assertThat(ProposalPaths.covers("xen/include/public/io/", shortened)).isTrue();
        // Under xen/ or xen/include/ only if the part cut off says so, and nothing is known of it.
        assertThat(ProposalPaths.covers("xen/", shortened)).isFalse();
        assertThat(ProposalPaths.covers("xen/include/", shortened)).isFalse();
        assertThat(ProposalPaths.covers("xen/include/public/io/pvcalls/", shortened)).isFalse();
        assertThat(ProposalPaths.covers("public/", shortened)).isFalse();
        assertThat(ProposalPaths.covers("tools/xenpublic/", shortened)).isFalse();
    }

    @Test
    void onlyACutFollowedByASlashIsShortened() {
        assertThat(ProposalPaths.isShortened("...pvcalls.h")).isFalse();
        assertThat(ProposalPaths.isShortened(".../")).isFalse();
        assertThat(ProposalPaths.isShortened("xen/.../pvcalls.h")).isFalse();
        assertThat(ProposalPaths.covers("xen/", "...pvcalls.h")).isFalse();
    }
}
