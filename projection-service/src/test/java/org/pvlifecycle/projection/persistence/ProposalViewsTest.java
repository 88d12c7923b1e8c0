package org.pvlifecycle.projection.persistence;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.projection.domain.ProposalHistory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A view's document, stored in two parts with its revisions apart, joins into exactly what the mapper writes of it. */
class ProposalViewsTest {
    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private final ProposalViews views = new ProposalViews();

    {
        views.mapper = EventJson.mapper();
    }

    static ProposalHistory view(String title, int revisions) {
        List<ProposalHistory.Revision> list = new ArrayList<>();
        for (int i = 1; i <= revisions; i++) {
            list.add(new ProposalHistory.Revision(i, T0.plusSeconds(i), i == 1 ? null : "note " + i,
                    List.of("C_STRUCTS_DISCOURAGED"), List.of()));
        }
        return new ProposalHistory("pv-views", title, "a summary with \"revisions\":[] in it", "alice",
                List.of("linux-frontend"), Stage.DESIGN, T0,
                List.of(new ProposalHistory.StageChange(null, Stage.DESIGN, T0, null, "alice", false, "\"revisions\":[]")),
                list, List.of(), List.of(), List.of(), null);
    }

    @Test
    void theTwoPartsAndTheRevisionsJoinIntoTheWholeDocument() throws Exception {
        for (int revisions : new int[] {0, 1, 3}) {
            for (String title : List.of("PV Calls", "\"revisions\":[] in a title", "𝔛en \u2014 a title beyond the BMP")) {
                ProposalHistory view = view(title, revisions);
                ProposalViews.DocumentJson parts = views.document(view);
                List<String> items = view.revisions().stream().map(views::revision).toList();
                assertThat(parts.with(items)).isEqualTo(EventJson.mapper().writeValueAsString(view));
                assertThat(parts.beforeRevisions()).endsWith("\"revisions\":[");
                assertThat(parts.afterRevisions()).startsWith("]");
            }
        }
    }

    @Test
    void onlyRevisionsAfterTheStoredOnesAreWritten() {
        ProposalHistory stored = view("PV Calls", 3);
        ProposalHistory next = view("PV Calls", 5);
        assertThat(ProjectionRepository.storedPrefix(stored.revisions(), next.revisions())).isEqualTo(3);
        assertThat(ProjectionRepository.storedPrefix(next.revisions(), next.revisions())).isEqualTo(5);
        // A revision put before the stored ones (one arriving behind a later one): all written again.
        List<ProposalHistory.Revision> reordered = new ArrayList<>(next.revisions());
        reordered.add(0, reordered.remove(2));
        assertThat(ProjectionRepository.storedPrefix(stored.revisions(), reordered)).isEqualTo(-1);
        assertThat(ProjectionRepository.storedPrefix(next.revisions(), stored.revisions())).isEqualTo(-1);
    }
}
