package org.pvlifecycle.proposal.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.proposal.domain.SpecAnalysis.Finding;
import org.pvlifecycle.proposal.domain.SpecAnalysis.StructLocation;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.proposal.domain.SpecAnalysis.ABI;
import static org.pvlifecycle.proposal.domain.SpecAnalysis.C_STRUCTS_DISCOURAGED;
import static org.pvlifecycle.proposal.domain.SpecAnalysis.PROTOCOL_OPERATION;
import static org.pvlifecycle.proposal.domain.SpecAnalysis.XENSTORE_HANDSHAKE;
import static org.pvlifecycle.proposal.domain.SpecAnalysisTest.sectionsFound;
import static org.pvlifecycle.proposal.domain.SpecAnalysisTest.xenSpec;

/** The analysis on copies of real specs of the Xen tree (test resources xen-specs/, origin in its README). */
class XenSpecsTest {

    @Test
    void pvcallsMissesOnlyTheAbiAndDescribesItWithTwentyThreeStructs() {
        String spec = xenSpec("pvcalls.pandoc");
        SpecAnalysis analysis = SpecAnalysis.of(spec);
        assertThat(analysis.missingSections()).containsExactly(ABI);
        assertThat(analysis.warnings()).containsExactly(C_STRUCTS_DISCOURAGED);
        assertThat(analysis.structs()).hasSize(23);
        assertThat(analysis.structs()).startsWith(new StructLocation("xen_pvcalls_request", 240),
                new StructLocation("xen_pvcalls_socket", 244));
        assertThat(analysis.structs()).contains(new StructLocation("xen_pvcalls_response", 326),
                new StructLocation("sockaddr_in", 835));
        assertThat(analysis.structs()).endsWith(new StructLocation("pvcalls_data_intf", 886),
                new StructLocation("pvcalls_data", 902));
        assertThat(SpecAnalysis.findings(spec)).containsExactly(
                new Finding(XENSTORE_HANDSHAKE, 97, "heading \"xenstore\""),
                new Finding(PROTOCOL_OPERATION, 1, "heading \"pv calls protocol version 1\""));
    }

    @Test
    void ninePfsMissesTheHandshakeItLeavesToItsHeaderAndTheAbi() {
        String spec = xenSpec("9pfs.pandoc");
        SpecAnalysis analysis = SpecAnalysis.of(spec);
        assertThat(analysis.missingSections()).containsExactly(XENSTORE_HANDSHAKE, ABI);
        assertThat(analysis.structs()).containsExactly(new StructLocation("header", 20),
                new StructLocation("xen_9pfs_intf", 74), new StructLocation("ring_data", 86));
        assertThat(analysis.warnings()).containsExactly(C_STRUCTS_DISCOURAGED);
        assertThat(SpecAnalysis.findings(spec)).containsExactly(
                new Finding(PROTOCOL_OPERATION, 13, "heading \"9pfs protocol\""));
    }

    @Test
    void netifStagingGrantsMissesAllThree() {
        String spec = xenSpec("netif-staging-grants.pandoc");
        SpecAnalysis analysis = SpecAnalysis.of(spec);
        assertThat(analysis.missingSections()).containsExactly(XENSTORE_HANDSHAKE, ABI, PROTOCOL_OPERATION);
        assertThat(analysis.warnings()).isEmpty();
        assertThat(SpecAnalysis.headings(spec)).contains("general operation", "control ring messages",
                "wire performance").doesNotContain("staging grants for network i/o requests");
    }

    @Test
    void sndifIsAHeaderMissingOnlyTheAbi() {
        String spec = xenSpec("sndif.h");
        SpecAnalysis analysis = SpecAnalysis.of(spec);
        assertThat(SpecText.isHeader(spec)).isTrue();
        assertThat(analysis.missingSections()).containsExactly(ABI);
        assertThat(SpecAnalysis.findings(spec)).containsExactly(
                new Finding(XENSTORE_HANDSHAKE, 143, "heading \"backend xenbus nodes\""),
                new Finding(PROTOCOL_OPERATION, 24, "heading \"protocol version\""));
        assertThat(SpecAnalysis.headings(spec)).contains(
                "description of the protocol between frontend and backend driver", "requests", "responses");
        assertThat(analysis.structs()).hasSize(14)
                .startsWith(new StructLocation("xensnd_open_req", 620))
                .endsWith(new StructLocation("xensnd_event_page", 1049));
        assertThat(analysis.warnings()).containsExactly(C_STRUCTS_DISCOURAGED);
    }

    @Test
    void displifIsAHeaderMissingOnlyTheAbi() {
        String spec = xenSpec("displif.h");
        SpecAnalysis analysis = SpecAnalysis.of(spec);
        assertThat(analysis.missingSections()).containsExactly(ABI);
        assertThat(SpecAnalysis.findings(spec)).extracting(Finding::line).containsExactly(124, 21);
        assertThat(analysis.structs()).hasSize(14)
                .startsWith(new StructLocation("xendispl_dbuf_create_req", 497))
                .endsWith(new StructLocation("xendispl_event_page", 915));
    }

    @Test
    void theHeadersDescribeTheHandshakeEvenWithoutTheirBanners() {
        // The content rule alone finds it: XenBus nodes with their Values lines.
        for (String file : List.of("sndif.h", "displif.h")) {
            String withoutBanners = xenSpec(file).replaceAll("(?i)\\bxen(store|bus)\\b", "registry");
            assertThat(SpecAnalysis.headings(withoutBanners)).noneMatch(h -> h.matches(".*\\bxen(store|bus)\\b.*"));
            assertThat(SpecAnalysis.findings(withoutBanners)).as(file)
                    .anySatisfy(f -> assertThat(f.evidence()).startsWith("XenBus node "));
        }
    }
}
