package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.EvidenceDetail;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.events.DecisionKind;

import java.time.Instant;
import java.util.List;

/** Builds consensus states from the events that make them, as the service folds them. */
final class Given {
    static final String P = "pvcalls-v2";
    static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

    ProposalState state;

    static Given submitted(String... components) {
        Given g = new Given();
        g.state = ConsensusEngine.apply(null, P, new ProposalSubmitted(P, "T", "S", "owner", List.of(components), 1,
                "# spec", List.of(), List.of()), T0);
        return g;
    }

    Given event(LifecycleEvent event, Instant at, String actor) {
        state = ConsensusEngine.withAuthor(ConsensusEngine.apply(state, P, event, at), event, actor);
        return this;
    }

    Given event(LifecycleEvent event, Instant at) {
        return event(event, at, "someone");
    }

    Given reviewRequested(Instant at) {
        return event(new ReviewRequested(P, state.stage(), 1), at);
    }

    Given evidence(EvidenceKind kind) {
        return event(new EvidenceRecorded(P, kind.name(), state.stage(), kind, "ref", EvidenceDetail.none()), T0);
    }

    Given objection(String id, boolean late, Instant at) {
        return event(new ObjectionRaised(P, id, state.stage(), ObjectionCategory.ABI, "ABI",
                "a rationale that is long enough to count", late), at, "carol");
    }

    Given answered(String id, Instant respondBy) {
        return event(new ObjectionAnswered(P, id, "answer", respondBy), T0);
    }

    Given ack(String id, String author, AckKind kind, String component) {
        return event(new AckGiven(P, id, state.stage(), kind, component), T0, author);
    }

    Given advancedTo(Stage to) {
        return event(new StageAdvanced(P, state.stage(), to, "d", DecisionKind.CZAR, "czar", false, null), T0);
    }
}
