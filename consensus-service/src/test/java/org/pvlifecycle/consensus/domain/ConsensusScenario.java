package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.DecisionKind;
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
import org.pvlifecycle.events.decider.Decider;
import org.pvlifecycle.testkit.DeciderFixture;

import java.time.Instant;
import java.util.List;

/**
 * The consensus engine under the shared given/when/then fixture, with the events its tests are
 * made of. The fixture folds what the proposal and review services announced as the service does
 * ({@link ConsensusDecider#apply}, then the author from the envelope); the command is the Czar's
 * decision. The engine is state-stored: what it announced and a decision awaiting the proposal
 * service live in the state it returns, in no event, so a test that goes on from an
 * {@link ConsensusDecider.Outcome} goes on from the outcome's state.
 */
final class ConsensusScenario {
    static final String P = "pvcalls-v2";
    static final Instant T0 = DeciderFixture.START;

    /** The Czar decides the transition to {@code to} at {@code now}. */
    record CzarDecides(Policy policy, Instant now, Stage to, String czar, boolean override, String rationale) {
    }

    static final Decider<CzarDecides, ProposalState, LifecycleEvent> ENGINE = Decider.of(null,
            (c, state) -> ConsensusDecider.decide(state, c.policy(), c.now(), c.to(), c.czar(), c.override(),
                    c.rationale()).events(),
            (state, e) -> ConsensusDecider.withAuthor(ConsensusDecider.apply(state, e.subject(), e.data(), e.time()),
                    e.data(), e.actor()));

    private final DeciderFixture<CzarDecides, ProposalState, LifecycleEvent> fixture =
            DeciderFixture.of(ENGINE, CzarDecides::czar);

    static ConsensusScenario submitted(String... components) {
        return new ConsensusScenario().event(new ProposalSubmitted(P, "T", "S", "owner", List.of(components), 1,
                "# spec", List.of(), List.of()), T0);
    }

    ProposalState state() {
        return fixture.state();
    }

    DeciderFixture<CzarDecides, ProposalState, LifecycleEvent>.Then when(CzarDecides decision) {
        return fixture.when(decision);
    }

    ConsensusScenario event(LifecycleEvent event, Instant at, String actor) {
        fixture.given(at, actor, event);
        return this;
    }

    ConsensusScenario event(LifecycleEvent event, Instant at) {
        return event(event, at, DeciderFixture.SOMEONE);
    }

    ConsensusScenario reviewRequested(Instant at) {
        return event(new ReviewRequested(P, state().stage(), 1), at);
    }

    ConsensusScenario evidence(EvidenceKind kind) {
        return event(new EvidenceRecorded(P, kind.name(), state().stage(), kind, "ref", EvidenceDetail.none()), T0);
    }

    ConsensusScenario objection(String id, boolean late, Instant at) {
        return event(new ObjectionRaised(P, id, state().stage(), ObjectionCategory.ABI, "ABI",
                "a rationale that is long enough to count", late), at, "carol");
    }

    ConsensusScenario answered(String id, Instant respondBy) {
        return event(new ObjectionAnswered(P, id, "answer", respondBy), T0);
    }

    ConsensusScenario ack(String id, String author, AckKind kind, String component) {
        return event(new AckGiven(P, id, state().stage(), kind, component), T0, author);
    }

    ConsensusScenario advancedTo(Stage to) {
        return event(new StageAdvanced(P, state().stage(), to, "d", DecisionKind.CZAR, "czar", false, null), T0);
    }
}
