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
    void anOutlookQuoteAndTheListFooterAreNotTheSendersText() {
        String body = """
                Agreed, v3 keeps the layout.

                -----Original Message-----
                From: Ines Duarte <ines@example.org>
                Sent: Wednesday, March 4, 2026 11:02 AM
                Subject: Re: [PATCH v2 pvcalls-v2 2/3] xen/public: pvcalls: add a flags field

                NACK [ABI]: the new field moves the union by four bytes.
                """;
        assertThat(OwnText.of(body)).isEqualTo("Agreed, v3 keeps the layout.");
        String headersOnly = "Agreed.\n\nFrom: Ines Duarte <ines@example.org>\nDate: Wed, 4 Mar 2026 11:02:17 +0100\n"
                + "To: Mara Kovac <mara.kovac@example.com>\n\nNACK [ABI]: no.\n";
        assertThat(OwnText.of(headersOnly)).isEqualTo("Agreed.");
        String footed = "Agreed.\n_______________________________________________\nXen-devel mailing list\n"
                + "Xen-devel@lists.xenproject.org\nhttps://lists.xenproject.org/mailman/listinfo/xen-devel\n";
        assertThat(OwnText.of(footed)).isEqualTo("Agreed.");
    }

    @Test
    void longTextIsCutAtTheReviewServicesLimit() {
        assertThat(OwnText.of("x".repeat(OwnText.MAX_LENGTH + 10))).hasSize(OwnText.MAX_LENGTH);
    }
}
