package org.pvlifecycle.projection.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A kept fold holds thousands of revisions: their empty lists are one. */
class RevisionTest {
    @Test
    void emptyListsAreTheSharedEmptyListAndOthersStayAsGiven() {
        var clean = new ProposalHistory.Revision(2, Instant.EPOCH, "note", new ArrayList<>(), new ArrayList<>());
        assertThat(clean.warnings()).isSameAs(List.of()).isEqualTo(new ArrayList<>());
        assertThat(clean.missingSections()).isSameAs(List.of());

        List<String> warnings = new ArrayList<>(List.of("no xenstore section"));
        var warned = new ProposalHistory.Revision(3, Instant.EPOCH, null, warnings, null);
        assertThat(warned.warnings()).isSameAs(warnings);
        assertThat(warned.missingSections()).isNull();
    }
}
