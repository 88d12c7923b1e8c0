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
        for (int revisions : new int[] {0, 1, 3, 65}) {
            for (String title : List.of("PV Calls", "\"revisions\":[] in a title", "𝔛en \u2014 a title beyond the BMP")) {
                ProposalHistory view = view(title, revisions);
                ProposalViews.DocumentJson parts = views.apart(view);
                List<String> items = view.revisions().stream().map(views::revision).toList();
                assertThat(parts.with(items)).isEqualTo(EventJson.mapper().writeValueAsString(view));
                assertThat(parts.beforeRevisions()).endsWith("\"revisions\":[");
                assertThat(parts.afterRevisions()).startsWith("]");
            }
        }
    }

    @Test
    void aViewKeepsItsRevisionsApartOnlyPastWhatItsDocumentHolds() throws Exception {
        int most = ProposalViews.REVISIONS_IN_THE_DOCUMENT;
        ProposalHistory held = view("PV Calls", most);
        assertThat(views.document(held).revisionsApart()).isFalse();
        assertThat(views.document(held).whole()).isEqualTo(EventJson.mapper().writeValueAsString(held));
        ProposalHistory apart = view("PV Calls", most + 1);
        assertThat(views.document(apart)).isEqualTo(views.apart(apart));
    }

    @Test
    void onlyRevisionsAfterTheStoredRowsAreWritten() {
        int most = ProposalViews.REVISIONS_IN_THE_DOCUMENT;
        ProposalHistory stored = view("PV Calls", most + 3);
        ProposalHistory next = view("PV Calls", most + 5);
        assertThat(ProposalDocuments.storedRows(stored, next.revisions())).isEqualTo(most + 3);
        assertThat(ProposalDocuments.storedRows(next, next.revisions())).isEqualTo(most + 5);
        // Held in the document: no rows.
        assertThat(ProposalDocuments.storedRows(view("PV Calls", most), next.revisions())).isZero();
        // Not known, or a revision put before the stored ones (one arriving behind a later one): all written again.
        assertThat(ProposalDocuments.storedRows(null, next.revisions())).isEqualTo(-1);
        List<ProposalHistory.Revision> reordered = new ArrayList<>(next.revisions());
        reordered.add(0, reordered.remove(2));
        assertThat(ProposalDocuments.storedRows(stored, reordered)).isEqualTo(-1);
        assertThat(ProposalDocuments.storedRows(next, stored.revisions())).isEqualTo(-1);
    }
}
