package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.mail.domain.ScopedAckDecisionTest.VPCI_PATCH_3;
import static org.pvlifecycle.mail.domain.ScopedAckDecisionTest.knowingVpci;
import static org.pvlifecycle.mail.domain.ScopedAckDecisionTest.knowingVpciAndItsComponents;
import static org.pvlifecycle.mail.domain.ScopedAckDecisionTest.vpciReply;

/**
 * The reply owed to a maintainer whose scoped trailer gave no ack, its scope naming none of the
 * components they maintain on the proposal (docs/mail.md, "Replies to senders"), from the decision
 * on their message as {@link MessageDecision} makes it. The vPCI series of
 * {@link ScopedAckDecisionTest}: Roger maintains x86 and THE REST on it, Andrew x86, ARM and THE
 * REST, Ines none of its components.
 */
class ScopedAckReplyTest {
    static final String ROGER = "Roger Pau Monné <roger.pau@example.com>";
    static final String ANDREW = "Andrew Cooper <andrew.cooper3@example.com>";

    static Optional<Reply> owed(MailMessage m, Knowledge knowledge) {
        return Reply.owed(m, MessageDecision.decide(m, knowledge), "lists.example.org");
    }

    @Test
    void theReplyGoesToTheSenderInTheThreadSayingWhichTrailerDidNotCountWhyAndHowToAck() {
        MailMessage m = vpciReply(ROGER, "Reviewed-by: " + ROGER + " # arm");
        Reply reply = owed(m, knowingVpciAndItsComponents("roger")).orElseThrow();

        assertThat(reply.to()).isEqualTo("roger.pau@example.com");
        assertThat(reply.subject()).isEqualTo("Re: [PATCH v3 vpci-msix 3/5] vpci/msix: handle accesses adjacent to the MSI-X table");
        assertThat(reply.inReplyTo()).isEqualTo(m.messageId());
        assertThat(reply.references()).containsExactly(MessageDecisionTest.COVER, VPCI_PATCH_3, m.messageId());
        assertThat(reply.messageId()).startsWith("pvl-reply.").endsWith("@lists.example.org");
        assertThat(reply.text().lines()).allMatch(line -> line.length() <= 72);
        assertThat(reply.text()).startsWith("Hello Roger Pau Monné,\n\n")
                // The trailer as written, then why: its scope and the components Roger maintains here.
                .contains("\n  Reviewed-by: " + ROGER + " # arm\n")
                .doesNotContain("arm-architecture")
                // How to give one that counts: without a scope, or with one naming the component.
                .contains("\n  Reviewed-by: " + ROGER + "\n")
                .contains("POST /proposals/vpci-msix/acks")
                .endsWith("\n-- \npv-lifecycle mail bridge (automatic reply; answers to it are not read)\n");
        assertThat(flat(reply.text()))
                .contains("your message <" + m.messageId() + "> has a trailer that was not counted as an ack on proposal vpci-msix")
                .contains("Its scope, \"arm\", names none of the components you maintain on this proposal:"
                        + " x86-architecture (X86 ARCHITECTURE) and the-rest (THE REST).")
                .contains("or with a scope after it naming the components it is for: their id, a word of their title"
                        + " or a path their F: patterns cover, such as \"# x86-architecture\".")
                .contains("Nothing else in your message asked for an action, so nothing of it was applied.");
        // A scoped trailer on the list is the same to the reply: the same Message-ID for the same message.
        assertThat(owed(m, knowingVpciAndItsComponents("roger")).orElseThrow().messageId()).isEqualTo(reply.messageId());
    }

    @Test
    void whenAnotherTrailerCountedTheReplySaysTheRestOfTheMessageIsAppliedAsUsual() {
        MailMessage m = vpciReply(ANDREW, "Acked-by: " + ANDREW + " # x86\nReviewed-by: " + ANDREW + " # tools");
        Reply reply = owed(m, knowingVpciAndItsComponents("andrew")).orElseThrow();
        assertThat(reply.text()).contains("\n  Reviewed-by: " + ANDREW + " # tools\n").doesNotContain(" # x86\n");
        assertThat(flat(reply.text())).contains("x86-architecture (X86 ARCHITECTURE), arm-architecture (ARM (W/"
                        + " VIRTUALISATION EXTENSIONS) ARCHITECTURE) and the-rest (THE REST).").contains("The rest of your message is applied as usual: Acked-by for x86-architecture.")
                .doesNotContain("Nothing else");
    }

    @Test
    void severalTrailersThatDidNotCountAreNamedInOneReply() {
        MailMessage m = vpciReply(ROGER, "Acked-by: " + ROGER + " # arm\nReviewed-by: " + ROGER + " # tools");
        Reply reply = owed(m, knowingVpci("roger")).orElseThrow();
        assertThat(reply.text()).contains("\n  Acked-by: " + ROGER + " # arm\n  Reviewed-by: " + ROGER + " # tools\n");
        assertThat(flat(reply.text())).contains("has trailers that were not counted as acks")
                // Without the policy's titles, the components by their ids alone.
                .contains("Their scopes, \"arm\" and \"tools\", name none of the components you maintain on this"
                        + " proposal: x86-architecture and the-rest.");
    }

    @Test
    void anAckThatCountedForSomeOfTheirComponentsOrFromSomeoneMaintainingNoneOwesNoReply() {
        // x86 is one of Andrew's three: it counted, partially (the answer's reason says which it left out).
        assertThat(owed(vpciReply(ANDREW, "Acked-by: " + ANDREW + " # x86"), knowingVpciAndItsComponents("andrew"))).isEmpty();
        // Ines maintains nothing on the series: her trailer is common on the list and harmless.
        assertThat(owed(vpciReply("Ines Duarte <ines@example.org>", "Acked-by: Ines Duarte <ines@example.org> # tools"),
                knowingVpciAndItsComponents("ines"))).isEmpty();
        // No scope: an ack for each of Roger's components.
        assertThat(owed(vpciReply(ROGER, "Acked-by: " + ROGER), knowingVpciAndItsComponents("roger"))).isEmpty();
        // The same message acks all of them anyway, without a scope: no ack of Roger's is missing.
        assertThat(owed(vpciReply(ROGER, "Acked-by: " + ROGER + " # arm\nAcked-by: " + ROGER),
                knowingVpciAndItsComponents("roger"))).isEmpty();
    }

    @Test
    void aNackRejectedAsNotSpecificGetsOneReplyThatAlsoNamesTheTrailerThatWouldNotCount() {
        MailMessage both = vpciReply(ROGER, "NACK: no.\n\nAcked-by: " + ROGER + " # arm");
        Decision d = MessageDecision.decide(both, knowingVpciAndItsComponents("roger"));
        assertThat(d.verdict()).isEqualTo(Decision.Verdict.REJECT);
        Reply reply = Reply.owed(both, d, "lists.example.org").orElseThrow();
        assertThat(reply.text().lines()).allMatch(line -> line.length() <= 72);
        assertThat(reply.text()).contains("\n  Acked-by: " + ROGER + " # arm\n").contains("NACK [ABI]:");
        assertThat(flat(reply.text())).contains("was not taken as an objection to proposal vpci-msix")
                .contains("Your message also has a trailer that was not counted as an ack on proposal vpci-msix")
                .contains("Nothing of your message was applied; send a new one to object.")
                .doesNotContain("applied as usual");

        // A vague NACK alone gets the NACK reply, as before.
        MailMessage nack = vpciReply(ROGER, "NACK: no.");
        Decision alone = MessageDecision.decide(nack, knowingVpciAndItsComponents("roger"));
        assertThat(Reply.owed(nack, alone, "lists.example.org")).contains(
                NackReply.to(nack, alone.reason().orElseThrow(), "vpci-msix", List.of(), "lists.example.org"));
        assertThat(Reply.owed(nack, alone, "lists.example.org").orElseThrow().text()).doesNotContain("trailer");
    }

    /** The text with its line breaks as spaces: what a sentence says, however it was wrapped. */
    private static String flat(String text) {
        return text.replaceAll("\\s+", " ");
    }
}
