package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.mail.domain.Decision.Verdict;
import org.pvlifecycle.mail.domain.Knowledge.Proposal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decisions on area-scoped trailers, as xen-devel maintainers write them ("Acked-by: ... #
 * x86"): an ack only for the components its scope names (docs/mail.md).
 */
class ScopedAckDecisionTest {
    /*
     * A vPCI series touching both architectures and common code; in this policy Andrew maintains x86, ARM
     * and THE REST, Roger x86 and THE REST, Julien ARM and THE REST.
     */
    static final Proposal VPCI = new Proposal("vpci-msix", "mara", Stage.PROTOTYPE,
            List.of("x86-architecture", "arm-architecture", "the-rest"),
            List.of("xen/arch/x86/hvm/vmsi.c", "xen/arch/arm/vpci.c", "xen/drivers/vpci/msix.c"));
    static final Map<String, Set<String>> ARCH_MAINTAINERS = Map.of(
            "x86-architecture", Set.of("jan", "andrew", "roger"),
            "arm-architecture", Set.of("julien", "stefano", "andrew"),
            "the-rest", Set.of("andrew", "jan", "julien", "roger", "stefano"));
    static final String VPCI_PATCH_3 = "20260311160230.9921-4-mara.kovac@example.com";

    static Knowledge knowingVpci(String sender) {
        return new Knowledge(MessageDecisionTest.LIST, sender, Map.of(VPCI.id(), VPCI), Map.of(), List.of(), ARCH_MAINTAINERS);
    }

    /** A reply to patch 3 of the vPCI series, the patch quoted, then {@code trailer} and a name. */
    static MailMessage vpciReply(String from, String trailer) {
        String body = """
                On 11.03.2026 17:02, Mara Kovac wrote:
                > --- a/xen/arch/x86/hvm/vmsi.c
                > +++ b/xen/arch/x86/hvm/vmsi.c
                > @@ -644,6 +644,12 @@ static int cf_check msix_read(
                > +    if ( !access_allowed(msix->pdev, addr, len) )
                > +        return X86EMUL_OKAY;
                > --- a/xen/arch/arm/vpci.c
                > +++ b/xen/arch/arm/vpci.c
                > @@ -38,6 +38,9 @@ static int vpci_mmio_read(struct vcpu *v, mmio_info_t *info,
                > +    if ( !vpci_msix_access_allowed(pdev, info->gpa) )
                > +        return 1;

                """ + trailer + "\n\nThanks.\n";
        return MessageDecisionTest.reply(from, "scoped-" + Integer.toHexString(trailer.hashCode()) + "@example.org",
                "Re: [PATCH v3 vpci-msix 3/5] vpci/msix: handle accesses adjacent to the MSI-X table", VPCI_PATCH_3,
                "text/plain; charset=UTF-8", body);
    }

    @Test
    void anAckScopedToX86CountsOnlyForTheX86Component() {
        MailMessage m = vpciReply("Andrew Cooper <andrew.cooper3@example.com>",
                "Acked-by: Andrew Cooper <andrew.cooper3@example.com> # x86");
        Decision d = MessageDecision.decide(m, knowingVpci("andrew"));
        assertThat(d.verdict()).isEqualTo(Verdict.ACT);
        assertThat(d.actions()).containsExactly(new MailAction.GiveAck("andrew", AckKind.ACKED_BY, "x86-architecture"));
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r)
                .contains("\"Acked-by: Andrew Cooper <andrew.cooper3@example.com> # x86\" counts for [x86-architecture] only")
                .contains("[arm-architecture, the-rest]"));
    }

    @Test
    void theScopesUsualPhrasingsNameTheComponentsByWholeWords() {
        // "the" of "for the x86 parts" is no word of the-rest's; "hypervisor" names none of them.
        for (String scope : List.of("x86", "X86", "for the x86 parts", "x86, hypervisor", "x86-64")) {
            MailMessage m = vpciReply("Andrew Cooper <andrew.cooper3@example.com>",
                    "Reviewed-by: Andrew Cooper <andrew.cooper3@example.com> # " + scope);
            assertThat(MessageDecision.decide(m, knowingVpci("andrew")).actions()).as(scope)
                    .containsExactly(new MailAction.GiveAck("andrew", AckKind.REVIEWED_BY, "x86-architecture"));
        }
        MailMessage both = vpciReply("Andrew Cooper <andrew.cooper3@example.com>",
                "Acked-by: Andrew Cooper <andrew.cooper3@example.com> # x86, arm");
        assertThat(MessageDecision.decide(both, knowingVpci("andrew")).actions()).containsExactly(
                new MailAction.GiveAck("andrew", AckKind.ACKED_BY, "x86-architecture"),
                new MailAction.GiveAck("andrew", AckKind.ACKED_BY, "arm-architecture"));
        // "x86ish" or "arm64" is no whole word of either.
        MailMessage arm64 = vpciReply("Julien Grall <julien@example.org>", "Acked-by: Julien Grall <julien@example.org> # arm64");
        assertThat(MessageDecision.decide(arm64, knowingVpci("julien")).actions()).isEmpty();
    }

    @Test
    void anAckScopedToAComponentTheSenderDoesNotMaintainGivesNoneAndSaysWhy() {
        MailMessage m = vpciReply("Roger Pau Monné <roger.pau@example.com>",
                "Reviewed-by: Roger Pau Monné <roger.pau@example.com> # arm");
        Decision d = MessageDecision.decide(m, knowingVpci("roger"));
        assertThat(d.verdict()).isEqualTo(Verdict.IGNORE);
        assertThat(d.actions()).isEmpty();
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).startsWith(MessageDecision.NOTHING_ACTIONABLE)
                .contains("\"Reviewed-by: Roger Pau Monné <roger.pau@example.com> # arm\" ignored")
                .contains("names none of the components maintained by roger on this proposal")
                .contains("[x86-architecture, the-rest]"));
    }

    @Test
    void anUnscopedAckStillCountsForEachComponentTheSenderMaintains() {
        MailMessage m = vpciReply("Roger Pau Monné <roger.pau@example.com>",
                "Reviewed-by: Roger Pau Monné <roger.pau@example.com>");
        Decision d = MessageDecision.decide(m, knowingVpci("roger"));
        assertThat(d.actions()).containsExactly(
                new MailAction.GiveAck("roger", AckKind.REVIEWED_BY, "x86-architecture"),
                new MailAction.GiveAck("roger", AckKind.REVIEWED_BY, "the-rest"));
        assertThat(d.reason()).isEmpty();
        // A "#" with nothing after it restricts nothing either.
        MailMessage empty = vpciReply("Roger Pau Monné <roger.pau@example.com>",
                "Reviewed-by: Roger Pau Monné <roger.pau@example.com> #");
        assertThat(MessageDecision.decide(empty, knowingVpci("roger")).actions()).hasSize(2);
    }

    /** The vPCI series' components as the policy describes them (MAINTAINERS titles and F: patterns). */
    static final Map<String, Knowledge.Component> ARCH_COMPONENTS = Map.of(
            "x86-architecture", new Knowledge.Component("X86 ARCHITECTURE", List.of("xen/arch/x86/",
                    "xen/include/public/arch-x86/"), List.of(), true),
            "arm-architecture", new Knowledge.Component("ARM (W/ VIRTUALISATION EXTENSIONS) ARCHITECTURE",
                    List.of("xen/arch/arm/", "xen/include/public/arch-arm/"), List.of(), true),
            "the-rest", new Knowledge.Component("THE REST", List.of("*", "*/"), List.of(), true));

    static Knowledge knowingVpciAndItsComponents(String sender) {
        return new Knowledge(MessageDecisionTest.LIST, sender, Map.of(VPCI.id(), VPCI), Map.of(), List.of(), ARCH_MAINTAINERS,
                ARCH_COMPONENTS);
    }

    @Test
    void anAckScopedToAPathCountsForTheComponentsWhosePatternsCoverIt() {
        MailMessage m = vpciReply("Andrew Cooper <andrew.cooper3@example.com>",
                "Acked-by: Andrew Cooper <andrew.cooper3@example.com> # xen/arch/x86/");
        Decision d = MessageDecision.decide(m, knowingVpciAndItsComponents("andrew"));
        assertThat(d.actions()).containsExactly(new MailAction.GiveAck("andrew", AckKind.ACKED_BY, "x86-architecture"));
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).contains("counts for [x86-architecture] only"));

        // THE REST's "*" covers any path, but names none: common code is no x86 part.
        MailMessage common = vpciReply("Roger Pau Monné <roger.pau@example.com>",
                "Reviewed-by: Roger Pau Monné <roger.pau@example.com> # xen/drivers/vpci/");
        Decision none = MessageDecision.decide(common, knowingVpciAndItsComponents("roger"));
        assertThat(none.verdict()).isEqualTo(Verdict.IGNORE);
        assertThat(none.reason()).hasValueSatisfying(r -> assertThat(r).contains("# xen/drivers/vpci/\" names none"));

        // Without the policy's patterns (a policy that describes no components) a path names nothing.
        assertThat(MessageDecision.decide(m, knowingVpci("andrew")).actions()).isEmpty();
    }

    @Test
    void aScopeNamesAComponentByAWordOfItsTitleToo() {
        MailMessage m = vpciReply("Julien Grall <julien@example.org>",
                "Acked-by: Julien Grall <julien@example.org> # virtualisation extensions");
        assertThat(MessageDecision.decide(m, knowingVpciAndItsComponents("julien")).actions())
                .containsExactly(new MailAction.GiveAck("julien", AckKind.ACKED_BY, "arm-architecture"));
        assertThat(MessageDecision.decide(m, knowingVpci("julien")).actions()).isEmpty();
    }
}
