package org.pvlifecycle.projection.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.events.TransitionDecided;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.projection.domain.KeptFoldTest.at;

/**
 * Consensus announces an overdue decision with {@code decision-overdue} alone: no
 * eligibility-changed follows it (one goes out only when the eligible flag, the blockers or the
 * window's end change). The view's eligibility carries it, and its row says so, until a later
 * answer, a decision, a stage change or a withdrawal says otherwise.
 */
class OverdueDecisionTest {
    static final String ID = KeptFoldTest.ID;
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    static final Instant DUE = T0.plus(Duration.ofDays(7));

    @Test
    void anOverdueNoticeMarksTheEligibleAnswerAndTheRow() {
        ProposalHistory h = fold(submitted(), eligible(null), overdue(Stage.DESIGN));
        assertThat(h.eligibility().decisionOverdueSince()).isEqualTo(DUE);
        // The rest of the answer is the one announced.
        assertThat(h.eligibility().eligible()).isTrue();
        assertThat(h.eligibility().windowEndsAt()).isEqualTo(T0.minusSeconds(60));
        assertThat(SummaryRow.of(h).decisionOverdue()).isTrue();
        assertThat(SummaryRow.of(h).eligible()).isTrue();
    }

    @Test
    void beforeTheNoticeTheDecisionIsNotOverdue() {
        List<LoggedEvent> log = log(submitted(), eligible(null), overdue(Stage.DESIGN));
        ProposalHistory asOfBefore = ProposalHistory.fold(log.subList(0, 2));
        assertThat(asOfBefore.eligibility().decisionOverdueSince()).isNull();
        assertThat(SummaryRow.of(asOfBefore).decisionOverdue()).isFalse();
    }

    @Test
    void aLaterAnswerSaysWhetherItIsStillOverdue() {
        ProposalHistory blocked = fold(submitted(), eligible(null), overdue(Stage.DESIGN), notEligible());
        assertThat(blocked.eligibility().decisionOverdueSince()).isNull();
        assertThat(SummaryRow.of(blocked).decisionOverdue()).isFalse();

        // Eligible again: a new spell, its clock started over.
        ProposalHistory again = fold(submitted(), eligible(null), overdue(Stage.DESIGN), notEligible(), eligible(null));
        assertThat(again.eligibility().decisionOverdueSince()).isNull();
        assertThat(SummaryRow.of(again).decisionOverdue()).isFalse();

        // An answer that carries the overdue instant itself is taken as it is.
        ProposalHistory carried = fold(submitted(), eligible(DUE));
        assertThat(SummaryRow.of(carried).decisionOverdue()).isTrue();
    }

    @Test
    void aDecisionEndsTheOverdueSpell() {
        ProposalHistory decided = fold(submitted(), eligible(null), overdue(Stage.DESIGN),
                new TransitionDecided(ID, Stage.DESIGN, Stage.PROTOTYPE, DecisionKind.CZAR, "xen-czar", false, null,
                        List.of()));
        assertThat(decided.stage()).as("the proposal service has not applied it yet").isEqualTo(Stage.DESIGN);
        assertThat(decided.eligibility().decisionOverdueSince()).isNull();
        assertThat(SummaryRow.of(decided).decisionOverdue()).isFalse();
        assertThat(SummaryRow.of(decided).eligible()).isTrue();
    }

    @Test
    void aStageChangeOrAWithdrawalEndsIt() {
        ProposalHistory advanced = fold(submitted(), eligible(null), overdue(Stage.DESIGN),
                new StageAdvanced(ID, Stage.DESIGN, Stage.PROTOTYPE, "d1", DecisionKind.CZAR, "xen-czar", false, null));
        assertThat(advanced.eligibility().decisionOverdueSince()).isNull();
        assertThat(SummaryRow.of(advanced).decisionOverdue()).isFalse();

        ProposalHistory withdrawn = fold(submitted(), eligible(null), overdue(Stage.DESIGN),
                new ProposalWithdrawn(ID, Stage.DESIGN, "superseded"));
        assertThat(withdrawn.eligibility().decisionOverdueSince()).isNull();
        assertThat(SummaryRow.of(withdrawn).decisionOverdue()).isFalse();
    }

    @Test
    void aNoticeThatIsNotAboutTheAnswerChangesNothing() {
        // About another stage than the answer's.
        ProposalHistory otherStage = fold(submitted(), eligible(null), overdue(Stage.PROTOTYPE));
        assertThat(otherStage.eligibility().decisionOverdueSince()).isNull();
        // An answer that is not eligible has no decision to wait for.
        ProposalHistory blocked = fold(submitted(), notEligible(), overdue(Stage.DESIGN));
        assertThat(blocked.eligibility().decisionOverdueSince()).isNull();
        assertThat(SummaryRow.of(blocked).decisionOverdue()).isFalse();
        // No answer at all.
        ProposalHistory none = fold(submitted(), overdue(Stage.DESIGN));
        assertThat(none.eligibility()).isNull();
        assertThat(SummaryRow.of(none).decisionOverdue()).isFalse();
    }

    @Test
    void foldingOnFromTheOverdueViewEqualsFoldingTheWholeLog() {
        List<LoggedEvent> log = log(submitted(), eligible(null), overdue(Stage.DESIGN), notEligible());
        for (int cut = 1; cut <= log.size(); cut++) {
            assertThat(ProposalHistory.fold(ProposalHistory.fold(log.subList(0, cut)), log.subList(cut, log.size())))
                    .isEqualTo(ProposalHistory.fold(log));
        }
    }

    static ProposalHistory fold(LifecycleEvent... events) {
        return ProposalHistory.fold(log(events));
    }

    /** The events a minute apart from T0, at positions 1, 2, ... */
    static List<LoggedEvent> log(LifecycleEvent... events) {
        List<LoggedEvent> log = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            log.add(at(i + 1, T0.plusSeconds(60L * i), events[i]));
        }
        return log;
    }

    static ProposalSubmitted submitted() {
        return KeptFoldTest.submitted();
    }

    static EligibilityChanged eligible(Instant decisionOverdueSince) {
        return new EligibilityChanged(ID, Stage.DESIGN, true, List.of(), T0.minusSeconds(60), DUE, decisionOverdueSince, 1);
    }

    static EligibilityChanged notEligible() {
        return new EligibilityChanged(ID, Stage.DESIGN, false, List.of(new Blocker("OBJECTION_BLOCKING",
                "Objection o1 by carol is OPEN", ID + ".o1", "carol", null, null, null, null)), T0.minusSeconds(60), null,
                null, 1);
    }

    static DecisionOverdue overdue(Stage stage) {
        return new DecisionOverdue(ID, stage, T0, DUE);
    }
}
