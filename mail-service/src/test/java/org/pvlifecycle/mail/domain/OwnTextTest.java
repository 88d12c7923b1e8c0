package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OwnTextTest {
    @Test
    void quotesTheirAttributionAndTheSignatureAreNotTheSendersText() {
        String body = "On Wed, 4 Mar 2026, Ines Duarte wrote:\n> NACK [ABI]: no.\n>\n\nFirst.\n\n\n\nSecond.\n> more\nThird.\n"
                + "-- \nInes, at Example\n";
        assertThat(OwnText.of(body)).isEqualTo("First.\n\nSecond.\nThird.");
    }

    @Test
    void aLineEndingInWroteThatIntroducesNoQuoteStays() {
        assertThat(OwnText.of("This is what I wrote:\nthe ring is capped.")).isEqualTo("This is what I wrote:\nthe ring is capped.");
    }

    @Test
    void longTextIsCutAtTheReviewServicesLimit() {
        assertThat(OwnText.of("x".repeat(OwnText.MAX_LENGTH + 10))).hasSize(OwnText.MAX_LENGTH);
    }
}
