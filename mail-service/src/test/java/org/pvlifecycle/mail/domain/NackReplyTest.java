package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NackReplyTest {
    static final String NACK = """
            From: Ines Duarte <ines@example.org>
            Subject: Re: [PATCH v2 pvcalls-v2 2/3] xen/public: pvcalls: add a flags field
            Message-ID: <nack-1@example.org>
            In-Reply-To: <patch-2@example.com>
            References: <cover@example.com> <patch-2@example.com>
            List-Id: <xen-devel.lists.xenproject.org>

            NACK: no.
            """;

    static MailMessage parse(String text) {
        return MailMessage.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theReplyGoesToTheSenderInTheNacksThreadWithoutASecondRe() {
        Reply reply = NackReply.to(parse(NACK), "not a specific technical objection: ...", "pvcalls-v2", List.of(),
                "lists.example.org");
        assertThat(reply.to()).isEqualTo("ines@example.org");
        assertThat(reply.subject()).isEqualTo("Re: [PATCH v2 pvcalls-v2 2/3] xen/public: pvcalls: add a flags field");
        assertThat(reply.inReplyTo()).isEqualTo("nack-1@example.org");
        assertThat(reply.references()).containsExactly("cover@example.com", "patch-2@example.com", "nack-1@example.org");
        assertThat(reply.text().lines()).allMatch(line -> line.length() <= 72);
        assertThat(reply.text()).startsWith("Hello Ines Duarte,").contains("at least " + MessageDecision.MIN_RATIONALE + " characters")
                .contains("ABI, XENSTORE_HANDSHAKE").contains("POST /proposals/pvcalls-v2/objections");
    }

    @Test
    void aSubjectWithoutReGetsOneAndAMessageWithoutReferencesIsReferencedByWhatItAnswers() {
        Reply reply = NackReply.to(parse(NACK.replace("Subject: Re: ", "Subject: ").replaceFirst("References: [^\n]+\n", "")),
                "why", "pvcalls-v2", List.of(), "lists.example.org");
        assertThat(reply.subject()).startsWith("Re: [PATCH v2");
        assertThat(reply.references()).containsExactly("patch-2@example.com", "nack-1@example.org");
    }

    @Test
    void itsMessageIdIsTheSameForTheSameNackSoACopySentTwiceIsRecognisable() {
        Reply once = NackReply.to(parse(NACK), "why", "p", List.of(), "Lists.Example.org");
        Reply again = NackReply.to(parse(NACK), "why", "p", List.of(), "lists.example.org");
        Reply other = NackReply.to(parse(NACK.replace("nack-1@", "nack-2@")), "why", "p", List.of(), "lists.example.org");
        assertThat(once.messageId()).isEqualTo(again.messageId()).startsWith("pvl-reply.").endsWith("@lists.example.org");
        assertThat(other.messageId()).isNotEqualTo(once.messageId());
    }
}
