package org.pvlifecycle.testkit;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EvidenceDetail;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.decider.Decider;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixture fails a test whose expectation the decider does not meet, and folds as a service would. */
class DeciderFixtureTest {
    /** Records evidence, refusing a blank reference; the state is who recorded what, in order. */
    record Record(String actor, String reference) {
    }

    static final Decider<Record, List<String>, EvidenceRecorded> EVIDENCE = Decider.of(List.of(),
            (command, recorded) -> {
                if (command.reference().isBlank()) {
                    throw new IllegalArgumentException("no reference");
                }
                return List.of(evidence(command.reference()));
            },
            (recorded, event) -> {
                List<String> longer = new ArrayList<>(recorded);
                longer.add(event.actor() + ":" + ((EvidenceRecorded) event.data()).reference());
                return List.copyOf(longer);
            });

    static EvidenceRecorded evidence(String reference) {
        return new EvidenceRecorded("p", reference, Stage.DESIGN, EvidenceKind.DESIGN_COMMITTED, reference,
                EvidenceDetail.none());
    }

    static DeciderFixture<Record, List<String>, EvidenceRecorded> fixture() {
        return DeciderFixture.of(EVIDENCE, Record::actor);
    }

    @Test
    void decidedEventsJoinTheHistoryWithTheCommandsActor() {
        fixture().given(evidence("a"))
                .when(new Record("alice", "b")).then(evidence("b"))
                .when(new Record("bob", "c"))
                .thenState(s -> assertThat(s).containsExactly(DeciderFixture.SOMEONE + ":a", "alice:b", "bob:c"));
    }

    @Test
    void anExpectationTheDeciderDoesNotMeetFails() {
        assertThatThrownBy(() -> fixture().when(new Record("alice", "b")).then(evidence("c")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> fixture().when(new Record("alice", "b")).thenNothing())
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> fixture().when(new Record("alice", "b")).thenRefused(IllegalArgumentException.class))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> fixture().when(new Record("alice", " ")).then(evidence(" ")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("refused");
    }

    @Test
    void aRefusedCommandLeavesTheHistoryAsItWas() {
        DeciderFixture<Record, List<String>, EvidenceRecorded> fixture = fixture().given(evidence("a"));
        fixture.when(new Record("alice", " ")).thenRefused(IllegalArgumentException.class,
                refusal -> assertThat(refusal).hasMessage("no reference"));
        assertThat(fixture.state()).containsExactly(DeciderFixture.SOMEONE + ":a");
    }

    @Test
    void aCommandDecidedOnANewDeciderSeesTheSameHistory() {
        Decider<Record, List<String>, EvidenceRecorded> nothing = Decider.of(List.of(), (c, s) -> List.<EvidenceRecorded>of(),
                EVIDENCE::evolve);
        fixture().given(evidence("a")).decidedBy(nothing).when(new Record("alice", "b")).thenNothing()
                .thenState(s -> assertThat(s).hasSize(1));
    }
}
