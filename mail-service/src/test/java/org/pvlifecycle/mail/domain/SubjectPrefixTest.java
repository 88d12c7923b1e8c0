package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectPrefixTest {

    @Test
    void aPatchOfASeries() {
        SubjectPrefix p = SubjectPrefix.parse("[PATCH v2 pvcalls-v2 1/3] docs: pvcalls: describe the version 2 ABI");
        assertThat(p.candidateIds()).containsExactly("pvcalls-v2");
        assertThat(p.version()).contains(2);
        assertThat(p.part()).contains(1);
        assertThat(p.parts()).contains(3);
        assertThat(p.reply()).isFalse();
        assertThat(p.rfc()).isFalse();
        assertThat(p.title()).isEqualTo("docs: pvcalls: describe the version 2 ABI");
    }

    @Test
    void anRfcAndAPlainPatch() {
        SubjectPrefix rfc = SubjectPrefix.parse("[RFC pvcalls-v2] flags in the reserved padding");
        assertThat(rfc.candidateIds()).containsExactly("pvcalls-v2");
        assertThat(rfc.rfc()).isTrue();
        assertThat(rfc.version()).isEmpty();
        assertThat(SubjectPrefix.parse("[PATCH pvcalls-v2] docs").candidateIds()).containsExactly("pvcalls-v2");
    }

    @Test
    void repliesAndForwardsInAnyCaseAndNumber() {
        SubjectPrefix p = SubjectPrefix.parse("Re: RE: [PATCH v2 pvcalls-v2 1/3] docs");
        assertThat(p.reply()).isTrue();
        assertThat(p.candidateIds()).containsExactly("pvcalls-v2");
        assertThat(SubjectPrefix.parse("AW: [PATCH 9pfs-v2] x").reply()).isTrue();
        assertThat(SubjectPrefix.parse("Re[2]: [PATCH 9pfs-v2] x").reply()).isTrue();
        SubjectPrefix forward = SubjectPrefix.parse("Fwd: [PATCH 9pfs-v2] x");
        assertThat(forward.reply()).isFalse();
        assertThat(forward.forward()).isTrue();
        assertThat(forward.candidateIds()).containsExactly("9pfs-v2");
    }

    @Test
    void severalGroupsTheOldListTagAndXenTreeNames() {
        SubjectPrefix p = SubjectPrefix.parse("Re: [Xen-devel] [XEN PATCH for-4.21 v3 08/12] pvcalls-v2: x");
        assertThat(p.candidateIds()).isEmpty(); // the id after the brackets is title, not prefix
        assertThat(p.version()).contains(3);
        assertThat(p.part()).contains(8);
        assertThat(p.title()).isEqualTo("pvcalls-v2: x");
        assertThat(SubjectPrefix.parse("[PATCH LINUX v2 pvcalls-v2,displif-v3] x").candidateIds())
                .containsExactly("pvcalls-v2", "displif-v3");
    }

    @Test
    void kindsJoinedToTheirVersionAndResends() {
        SubjectPrefix p = SubjectPrefix.parse("[PATCHv4 RESEND PVCALLS-V2 2/2] x");
        assertThat(p.version()).contains(4);
        assertThat(p.candidateIds()).containsExactly("pvcalls-v2");
        assertThat(SubjectPrefix.parse("[RFCv2 sndif-v3] x").rfc()).isTrue();
        assertThat(SubjectPrefix.parse("[PATCH 0/3] cover").candidateIds()).isEmpty();
    }

    @Test
    void aCoverLetterIsPartZeroOfASeriesAndNoReply() {
        for (String subject : List.of("[PATCH 0/3] x", "[PATCH v2 0/12] x", "[RFC PATCH v3 00/10] x",
                "[PATCH for-4.20 v2 0/5] x", "[XEN PATCH v4 0/2] x", "[PATCH v2 pvcalls-v2 0/3] x")) {
            assertThat(SubjectPrefix.parse(subject).coverLetter()).as(subject).isTrue();
        }
        for (String subject : List.of("[PATCH v2 1/12] x", "Re: [PATCH v2 0/12] x", "[PATCH] x", "[PATCH 0/0] x",
                "pvcalls: 0/3 rings", "RE: [PATCH 00/10] x", "Fwd: [PATCH 0/2] x")) {
            assertThat(SubjectPrefix.parse(subject).coverLetter()).as(subject).isFalse();
        }
    }

    @Test
    void tokensOfAnotherShapeAreNoIds() {
        assertThat(SubjectPrefix.parse("[PATCH x y_z a.b vvv-ok] t").candidateIds()).containsExactly("vvv-ok");
        assertThat(SubjectPrefix.parse("[PATCH " + "a".repeat(41) + "] t").candidateIds()).isEmpty();
    }

    @Test
    void noPrefixAtAllAndAnUnclosedBracket() {
        SubjectPrefix p = SubjectPrefix.parse("Meeting notes for the PV protocols call");
        assertThat(p.candidateIds()).isEmpty();
        assertThat(p.title()).isEqualTo("Meeting notes for the PV protocols call");
        assertThat(SubjectPrefix.parse("[PATCH pvcalls-v2 x").candidateIds()).isEmpty();
        assertThat(SubjectPrefix.parse(null).title()).isEmpty();
    }
}
