package org.pvlifecycle.proposal.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpecAnalysisTest {

    static final String COMPLETE = """
            # PV Calls v2

            ## XenStore handshake
            The frontend writes ring-ref and event-channel.

            ## ABI
            All fields are little-endian.

            ### Protocol operation
            Requests and responses share one ring.
            """;

    @Test
    void findsTheThreeSectionsByHeadingWordsAtAnyLevel() {
        assertThat(SpecAnalysis.of(COMPLETE).missingSections()).isEmpty();
        assertThat(SpecAnalysis.of(COMPLETE).warnings()).isEmpty();
    }

    @Test
    void namesEachMissingSection() {
        SpecAnalysis analysis = SpecAnalysis.of("# Overview\n\n## Capabilities\n\nabi and protocol in prose only\n");
        assertThat(analysis.missingSections()).containsExactly(
                SpecAnalysis.XENSTORE_HANDSHAKE, SpecAnalysis.ABI, SpecAnalysis.PROTOCOL_OPERATION);
    }

    @Test
    void matchesWholeWordsOnlyAndIgnoresCase() {
        // "Capabilities" contains "abi" and "Protocols" is not "protocol": neither counts.
        SpecAnalysis analysis = SpecAnalysis.of("# XENSTORE keys\n# Capabilities\n# Protocols\n");
        assertThat(analysis.missingSections()).containsExactly(SpecAnalysis.ABI, SpecAnalysis.PROTOCOL_OPERATION);
    }

    @Test
    void acceptsSetextHeadingsAndIgnoresHeadingsInsideCodeFences() {
        String spec = """
                Xenstore handshake
                ==================

                ```
                # ABI
                ```

                Protocol operation
                ------------------
                """;
        assertThat(SpecAnalysis.of(spec).missingSections()).containsExactly(SpecAnalysis.ABI);
    }

    @Test
    void warnsAboutCStructsInOrOutOfCodeFences() {
        assertThat(SpecAnalysis.of(COMPLETE + "\n```c\nstruct pvcalls_request {\n  uint32_t id;\n};\n```\n").warnings())
                .containsExactly(SpecAnalysis.C_STRUCTS_DISCOURAGED);
        assertThat(SpecAnalysis.of(COMPLETE + "\ntypedef struct\n{ int x; } req_t;\n").warnings())
                .containsExactly(SpecAnalysis.C_STRUCTS_DISCOURAGED);
        assertThat(SpecAnalysis.of(COMPLETE + "\nThe request structure is described field by field.\n").warnings())
                .isEmpty();
    }
}
