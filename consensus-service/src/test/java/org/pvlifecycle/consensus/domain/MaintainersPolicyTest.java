package org.pvlifecycle.consensus.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Stage;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A MAINTAINERS file as the policy's components and maintainers (docs/rules.md#policy), on xen.git's own file. */
class MaintainersPolicyTest {
    static final MaintainersFile XEN = MaintainersFile.parse(MaintainersFileTest.resource("MAINTAINERS"));
    static final String IO = "public-i-o-interfaces-and-pv-drivers-designs";

    final Policy current = Policy.defaults();
    final Policy next = MaintainersPolicy.apply(current, XEN, current.version() + 1);

    @Test
    void everySectionIsAComponentWhosePeopleAreItsMaintainersLowerCasedAddresses() {
        assertThat(next.version()).isEqualTo(2);
        assertThat(next.maintainers()).hasSize(57).containsKey(IO).doesNotContainKeys("linux-frontend", "qemu-backend");
        assertThat(next.maintainers().get(IO)).containsExactly("jgross@suse.com");
        assertThat(next.maintainers().get("the-rest")).hasSize(7)
                .contains("andrew.cooper3@citrix.com", "roger@xenproject.org");
        assertThat(next.isMaintainer("jgross@suse.com", IO)).isTrue();
        assertThat(next.maintainers().keySet()).allSatisfy(id -> assertThat(Policy.isComponentId(id)).as(id).isTrue());
        assertThat(next.maintainers().keySet()).anySatisfy(id -> assertThat(id.length()).isGreaterThan(40));
    }

    @Test
    void theTitlePatternsAndContactsAreKept() {
        Policy.Component io = next.components().get(IO);
        assertThat(io.title()).isEqualTo("PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS");
        assertThat(io.files()).containsExactly("xen/include/public/io/");
        assertThat(io.excluded()).isEmpty();
        assertThat(io.contacts()).containsExactly("Juergen Gross <jgross@suse.com>");

        Policy.Component iommu = next.components().get("iommu-vendor-independent-code");
        assertThat(iommu.files()).contains("xen/drivers/passthrough/");
        assertThat(iommu.excluded()).contains("xen/drivers/passthrough/amd/", "xen/drivers/passthrough/vtd/");
        // A reviewer (R:) is not a maintainer: only the M: entry is a contact.
        assertThat(iommu.contacts()).containsExactly("Jan Beulich <jbeulich@suse.com>");
        assertThat(next.components().get("the-rest").contacts()).contains("Roger Pau Monné <roger@xenproject.org>");
    }

    @Test
    void anOrphanSectionStaysAComponentWithoutMaintainers() {
        assertThat(next.maintainers().get("remus")).isEmpty();
        assertThat(next.components().get("remus").files()).contains("docs/README.remus");
        assertThat(next.components().get("remus").contacts()).isEmpty();
    }

    @Test
    void anOrphansAckComesFromTheRestsMaintainersAsTheFileAsksForAMoreGeneralOne() {
        assertThat(next.isOrphan("remus")).isTrue();
        assertThat(next.isMaintainer("roger@xenproject.org", "remus")).isTrue();
        assertThat(next.isMaintainer("jgross@suse.com", "remus")).isFalse();
        // A section with maintainers of its own counts only them; THE REST is no orphan.
        assertThat(next.isOrphan(IO)).isFalse();
        assertThat(next.isOrphan("the-rest")).isFalse();
        assertThat(next.isMaintainer("roger@xenproject.org", IO)).isFalse();
        // A policy without a MAINTAINERS file has no orphans: an unknown component has no maintainer.
        assertThat(current.isOrphan("remus")).isFalse();
        assertThat(current.isMaintainer("alice", "remus")).isFalse();

        ProposalState acked = ConsensusScenario.submitted("remus").advancedTo(Stage.PROTOTYPE)
                .ack("a1", "roger@xenproject.org", AckKind.ACKED_BY, "remus").state();
        assertThat(Eligibility.evaluate(acked, next, ConsensusScenario.T0).blockers())
                .noneMatch(b -> "ACK_MISSING".equals(b.code()));
        assertThat(Eligibility.evaluate(acked, next.withComponents(3, Map.of("remus", List.of()), next.components()),
                ConsensusScenario.T0).blockers())
                .anyMatch(b -> "ACK_MISSING".equals(b.code()) && b.message().contains("THE REST's maintainers stand in"));
    }

    @Test
    void theRestOfThePolicyStays() {
        assertThat(next.reviewWindows()).isEqualTo(current.reviewWindows());
        assertThat(next.responseWindow()).isEqualTo(current.responseWindow());
        assertThat(next.czarDecisionWindow()).isEqualTo(current.czarDecisionWindow());
        assertThat(next.autoAdvance()).isEqualTo(current.autoAdvance());
    }

    @Test
    void theEventCarriesTheComponentsAndReadsBackToTheSamePolicy() {
        PolicyChanged event = next.toEvent();
        assertThat(event.components()).hasSize(57);
        assertThat(event.components().get(IO)).isEqualTo(new PolicyChanged.Component(
                "PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS", List.of("xen/include/public/io/"), List.of(),
                List.of("Juergen Gross <jgross@suse.com>")));
        assertThat(Policy.of(event)).isEqualTo(next);
        // A policy without descriptions writes none, as before the field existed.
        assertThat(current.toEvent().components()).isNull();
        assertThat(Policy.of(current.toEvent()).components()).isEmpty();
    }

    @Test
    void aFileWithoutAnyMaintainerIsRefused() {
        MaintainersFile orphans = MaintainersFile.parse("REMUS\nS:\tOrphan\nF:\tdocs/README.remus\n\nPPC64\nR:\tA B <a@b.org>\n");
        assertThatThrownBy(() -> MaintainersPolicy.apply(current, orphans, 2))
                .isInstanceOf(MaintainersPolicy.NoMaintainersException.class).hasMessageContaining("M:");
    }

    @Test
    void aBareAddressIsAContactWithoutANameAndAPersonIsListedOnce() {
        MaintainersFile small = MaintainersFile.parse("""
                XEN PV "CALLS" / SOCKETS
                M:\tJane@Example.ORG
                M:\tJane Doe <jane@example.org>
                F:\txen/include/public/io/pvcalls.h
                """);
        Policy p = MaintainersPolicy.apply(current, small, 9);
        assertThat(p.maintainers()).containsOnlyKeys("xen-pv-calls-sockets");
        assertThat(p.maintainers().get("xen-pv-calls-sockets")).containsExactly("jane@example.org");
        assertThat(p.components().get("xen-pv-calls-sockets").contacts())
                .containsExactly("<jane@example.org>", "Jane Doe <jane@example.org>");
    }

    @Test
    void componentIdsAreSlugsUpToSixtyFourCharacters() {
        assertThat(Policy.isComponentId("x")).isTrue();
        assertThat(Policy.isComponentId("a".repeat(64))).isTrue();
        assertThat(Policy.isComponentId("a".repeat(65))).isFalse();
        assertThat(Policy.isComponentId("linux-frontend")).isTrue();
        assertThat(Policy.isComponentId("-a-")).as("accepted before, so still accepted").isTrue();
        assertThat(Policy.isComponentId("--")).isFalse();
        assertThat(Policy.isComponentId("Linux")).isFalse();
        assertThat(Policy.isComponentId("a b")).isFalse();
        assertThat(Policy.isComponentId(null)).isFalse();
    }
}
