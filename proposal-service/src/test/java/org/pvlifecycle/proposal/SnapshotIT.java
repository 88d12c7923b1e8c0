package org.pvlifecycle.proposal;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.eventstore.KeptStates;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.proposal.domain.Proposal;
import org.pvlifecycle.proposal.domain.ProposalDecider;
import org.pvlifecycle.testkit.OnVertx;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestTokens;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.proposal.Proposals.post;

/** A long history is folded from the proposal's snapshot, to the state the whole history folds to. */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class SnapshotIT {
    static final String ALICE = TestTokens.mint("alice", "contributor");

    @Inject
    EventStore store;
    @Inject
    KeptStates keptStates;

    @Test
    void aLongHistoryFoldsFromItsSnapshotToTheSameStateAsFromItsFirstEvent() {
        String id = Proposals.submit("alice");
        for (int r = 2; r <= 150; r++) {
            post(ALICE, "/proposals/" + id + "/revisions", Map.of("spec", Proposals.SPEC + "\nrevision " + r,
                    "note", "r" + r)).statusCode(201);
        }
        long kept = OnVertx.await(() -> SessionSql.select("select version from snapshots where aggregate_id = $1", id)
                .map(rows -> (Long) rows.get(0)[0]));
        assertThat(kept).isEqualTo(100);

        // What this instance kept after the last revision would be used first: forget it.
        keptStates.clear();
        EventStore.Folded<Proposal> fromSnapshot = OnVertx.await(() -> store.fold(ProposalDecider.DECIDER, id));
        EventStore.Folded<Proposal> whole = OnVertx.await(() -> store.fold(id, ProposalDecider.DECIDER.initialState(),
                ProposalDecider.DECIDER::evolve));
        assertThat(fromSnapshot).isEqualTo(whole);
        assertThat(fromSnapshot.version()).isEqualTo(150);
        assertThat(fromSnapshot.state().revision()).isEqualTo(150);
    }
}
