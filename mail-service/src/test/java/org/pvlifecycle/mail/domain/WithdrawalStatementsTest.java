package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.mail.domain.Mails.message;

/** Statements' withdrawals: when the sender's own words withdraw their objection now (docs/mail.md). */
class WithdrawalStatementsTest {
    @Test
    void theAuthorsWithdrawal() {
        Statements s = Statements.of(message("reply-withdraw.eml"));
        assertThat(s.withdraws()).isTrue();
        assertThat(s.nacks()).isEmpty(); // "my NACK" is not a line starting with NACK
    }

    @Test
    void anyCaseAndForm() {
        assertThat(Statements.of("Withdraw.\n", StatementsTest.INES).withdraws()).isTrue();
        assertThat(Statements.of("OK, I'm WITHDRAWING my objection.\n", StatementsTest.INES).withdraws()).isTrue();
        assertThat(Statements.of("Fine. I withdraw my NACK\n", StatementsTest.INES).withdraws()).isTrue();
    }

    @Test
    void aNegationInTheSentenceIsNoWithdrawal() {
        assertThat(Statements.of("I do not withdraw my NACK.\n", StatementsTest.INES).withdraws()).isFalse();
        assertThat(Statements.of("I won't withdraw it until v3.\n", StatementsTest.INES).withdraws()).isFalse();
        assertThat(Statements.of("I never withdraw a NACK before v3.\n", StatementsTest.INES).withdraws()).isFalse();
        assertThat(Statements.of("Not yet. I withdraw my NACK.\n", StatementsTest.INES).withdraws()).isTrue();
    }

    @Test
    void theUsualWaysOfSayingTheNackIsWithdrawn() {
        assertThat(Statements.of("Thanks, NACK withdrawn.\n", StatementsTest.INES).withdraws()).isTrue();
        assertThat(Statements.of("Consider my objection withdrawn.\n", StatementsTest.INES).withdraws()).isTrue();
        assertThat(Statements.of("Objection withdrawn.\n", StatementsTest.INES).withdraws()).isTrue();
        assertThat(Statements.of("I'm withdrawing my objection, v3 is fine.\n", StatementsTest.INES).withdraws()).isTrue();
        assertThat(Statements.of("I hereby withdraw my\nNACK.\n", StatementsTest.INES).withdraws()).isTrue(); // wrapped
        assertThat(Statements.of("No further concerns, NACK withdrawn.\n", StatementsTest.INES).withdraws()).isTrue();
        assertThat(Statements.of("Withdrawn, thanks.\n", StatementsTest.INES).withdraws()).isTrue();
    }

    @Test
    void aNackLineThatSaysItIsWithdrawnIsAWithdrawalAndNoNewNack() {
        Statements s = Statements.of("NACK withdrawn, v3 addresses my concern.\n", StatementsTest.INES);
        assertThat(s.withdraws()).isTrue();
        assertThat(s.nacks()).isEmpty();
    }

    @Test
    void askingForAWithdrawalOrPromisingOneLaterIsNoWithdrawal() {
        assertThat(Statements.of("Please withdraw this version and resend with explicit padding.\n", StatementsTest.INES)
                .withdraws()).isFalse();
        assertThat(Statements.of("I will withdraw my NACK once the padding is made explicit.\n", StatementsTest.INES)
                .withdraws()).isFalse();
        assertThat(Statements.of("I withdraw my NACK once the padding is made explicit.\n", StatementsTest.INES)
                .withdraws()).isFalse();
        assertThat(Statements.of("Should I withdraw my NACK?\n", StatementsTest.INES).withdraws()).isFalse();
        assertThat(Statements.of("My NACK is not withdrawn.\n", StatementsTest.INES).withdraws()).isFalse();
        assertThat(Statements.of("I do not consider my objection withdrawn.\n", StatementsTest.INES).withdraws()).isFalse();
    }

    @Test
    void retractingOrDroppingTheNackWithdrawsItToo() {
        for (String says : List.of("I retract my NACK.", "NACK retracted.", "Thanks, NACK retracted.",
                "I drop my NACK.", "NACK dropped.", "I'm dropping my objection.", "I’m dropping my objection.",
                "OK, I'm retracting my NACK, the padding is zeroed by every frontend.",
                "Objection dropped, thanks for the explanation.", "I hereby retract my\nNACK.",
                "My NACK is hereby retracted.", "Fine, I'm dropping it.", "Consider it retracted.",
                "Consider my NACK dropped.", "We drop our objection.", "NAK withdrawn.", "I withdraw my NAK.",
                "Fair enough. I retract.")) {
            assertThat(Statements.of(says + "\n", StatementsTest.INES).withdraws()).as(says).isTrue();
        }
    }

    @Test
    void aNackLineThatSaysItIsRetractedOrDroppedIsAWithdrawalAndNoNewNack() {
        for (String says : List.of("NACK retracted, v3 addresses my concern.", "NACK dropped, the padding is zeroed.",
                "NAK withdrawn, v3 addresses my concern.", "NAK dropped.")) {
            Statements s = Statements.of(says + "\n", StatementsTest.INES);
            assertThat(s.withdraws()).as(says).isTrue();
            assertThat(s.nacks()).as(says).isEmpty();
        }
    }

    @Test
    void promisingOrOfferingToRetractOrDropIsNoWithdrawal() {
        for (String says : List.of("I will drop my NACK once the padding is made explicit.",
                "I'd retract it if the flags went into the padding.",
                "I'll retract my NACK when v3 is out.",
                "I retract my NACK once v3 keeps the layout.",
                "I drop my objection if the padding is zeroed.",
                "I won't drop my NACK until the layout is fixed.",
                "I'm not dropping my objection.",
                "I do not retract my NACK.",
                "Should I retract my NACK?",
                "My NACK is not dropped.",
                "Please drop this patch and resend.",
                "I drop the padding check in my tree to test it.",
                "I dropped the flags field locally and it still hangs.",
                "We can drop the padding check.",
                "Let's drop it.")) {
            assertThat(Statements.of(says + "\n", StatementsTest.INES).withdraws()).as(says).isFalse();
        }
        assertThat(Statements.of("> I retract my NACK.\n> NACK dropped.\nThanks.\n", StatementsTest.INES).withdraws()).isFalse();
    }

    @Test
    void quotedWithdrawalsAndOtherWordsDoNotCount() {
        assertThat(Statements.of("> I withdraw my NACK.\nThanks.\n", StatementsTest.INES).withdraws()).isFalse();
        assertThat(Statements.of("The proposal was withdrawn.\n", StatementsTest.INES).withdraws()).isFalse();
    }
}
