package org.pvlifecycle.proposal.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a spec's lines read as headings: CommonMark ATX headings, and a public header's dashed titles. */
class SpecTextTest {

    @Test
    void atxHeadingsAsCommonMarkReadsThem() {
        assertThat(SpecText.atxHeading("## ABI ##")).contains("ABI");
        assertThat(SpecText.atxHeading("   # ABI")).contains("ABI");
        assertThat(SpecText.atxHeading("#")).contains("");
        assertThat(SpecText.atxHeading("# C#")).contains("C#");
        assertThat(SpecText.atxHeading("    # code")).isEmpty();
        assertThat(SpecText.atxHeading("#ABI")).isEmpty();
        assertThat(SpecText.atxHeading("####### seven")).isEmpty();
    }

    @Test
    void dashedTitles() {
        assertThat(SpecText.dashedTitle(" ----- Requests -----")).contains("Requests");
        assertThat(SpecText.dashedTitle("--- N.B. ---")).contains("N.B.");
        assertThat(SpecText.dashedTitle("----------")).isEmpty();
        assertThat(SpecText.dashedTitle("-- short --")).isEmpty();
    }
}
