package org.pvlifecycle.projection.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.Stage;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.projection.domain.OverdueDecisionTest.ID;
import static org.pvlifecycle.projection.domain.OverdueDecisionTest.T0;
import static org.pvlifecycle.projection.domain.OverdueDecisionTest.fold;
import static org.pvlifecycle.projection.domain.OverdueDecisionTest.notEligible;
import static org.pvlifecycle.projection.domain.OverdueDecisionTest.submitted;

/**
 * A row's next deadline: consensus announces no new answer when the owner answers a blocking
 * objection (it blocks as before), yet the answer opens the author's response window, which is
 * the next time the proposal can move by the clock alone.
 */
class RowDeadlineTest {
    static final Instant RESPOND_BY = T0.plus(Duration.ofDays(7));
    static final ObjectionRaised RAISED = new ObjectionRaised(ID, ID + ".o1", Stage.DESIGN, ObjectionCategory.ABI, "ABI",
            "The request id is 32 bits wide but the ring can hold more.", false);

    @Test
    void anAnsweredBlockingObjectionsRespondByIsTheRowsNextDeadline() {
        // The window closed, one objection blocks: the answer announced has no deadline.
        assertThat(SummaryRow.of(fold(submitted(), RAISED, notEligible())).nextDeadline()).isNull();

        ProposalHistory answered = fold(submitted(), RAISED, notEligible(),
                new ObjectionAnswered(ID, ID + ".o1", "Capped at 2^16 by the frontend.", RESPOND_BY));
        assertThat(SummaryRow.of(answered).nextDeadline()).isEqualTo(RESPOND_BY);

        // Reaffirmed, it waits for the owner again: no clock runs.
        ProposalHistory reaffirmed = fold(submitted(), RAISED, notEligible(),
                new ObjectionAnswered(ID, ID + ".o1", "Capped at 2^16 by the frontend.", RESPOND_BY),
                new ObjectionReaffirmed(ID, ID + ".o1", "The backend does not cap it."));
        assertThat(SummaryRow.of(reaffirmed).nextDeadline()).isNull();
    }

    @Test
    void anAnsweredObjectionTheAnswerDoesNotNameSetsNoDeadline() {
        // A late objection that does not block: its lapse changes nothing of the answer.
        ObjectionRaised late = new ObjectionRaised(ID, ID + ".o2", Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                "The request id is 32 bits wide but the ring can hold more.", true);
        ProposalHistory h = fold(submitted(), late, OverdueDecisionTest.eligible(null),
                new ObjectionAnswered(ID, ID + ".o2", "Capped at 2^16 by the frontend.", T0.plus(Duration.ofDays(3))));
        assertThat(SummaryRow.of(h).nextDeadline()).isEqualTo(OverdueDecisionTest.DUE);
    }
}
