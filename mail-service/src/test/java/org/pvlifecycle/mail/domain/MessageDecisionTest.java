package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.mail.domain.Decision.Verdict;
import org.pvlifecycle.mail.domain.Knowledge.Objection;
import org.pvlifecycle.mail.domain.Knowledge.Proposal;
import org.pvlifecycle.mail.domain.ThreadReply.ObjectionStatus;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.mail.domain.Mails.bytes;
import static org.pvlifecycle.mail.domain.Mails.message;
import static org.pvlifecycle.mail.domain.Mails.raw;

/** The decisions on the pvcalls-v2 thread of the test resources, and on variants of its messages. */
class MessageDecisionTest {
    static final String LIST = "xen-devel.lists.xenproject.org";
    static final Proposal PVCALLS = new Proposal("pvcalls-v2", "mara", Stage.PROTOTYPE,
            List.of("linux-frontend", "pvcalls-docs"), List.of("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h"));
    static final Map<String, Set<String>> MAINTAINERS = Map.of("linux-frontend", Set.of("tomas"),
            "pvcalls-docs", Set.of("tomas", "ines"));
    static final String COVER = "20260303091244.11873-1-mara.kovac@example.com";
    static final String PATCH_2 = "20260303091244.11873-3-mara.kovac@example.com";
    static final String NACK = "f00dfeed-0042-4c1a-9d2e-3b4c5d6e7f80@example.org";

    static Knowledge knowing(String sender, Objection... objections) {
        return new Knowledge(LIST, sender, Map.of(PVCALLS.id(), PVCALLS), Map.of(COVER, PVCALLS.id()),
                List.of(objections), MAINTAINERS);
    }

    static Decision decide(String resource, String sender, Objection... objections) {
        return MessageDecision.decide(message(resource), knowing(sender, objections));
    }

    /** A test message with {@code from} replaced by {@code to} (headers and body alike). */
    static MailMessage variant(String resource, String from, String to) {
        return MailMessage.parse(bytes(new String(raw(resource), java.nio.charset.StandardCharsets.UTF_8).replace(from, to)));
    }

    static final String FOOTER = """
            _______________________________________________
            Xen-devel mailing list
            Xen-devel@lists.xenproject.org
            https://lists.xenproject.org/mailman/listinfo/xen-devel
            """;

    /**
     * A xen-devel reply of {@code from}'s to {@code inReplyTo} in the pvcalls-v2 thread, with the list's
     * headers; {@code contentType} and {@code body} as given (a multipart body brings its boundaries).
     */
    static MailMessage reply(String from, String messageId, String subject, String inReplyTo, String contentType,
            String body) {
        return MailMessage.parse(bytes("From: " + from + "\n"
                + "To: Mara Kovac <mara.kovac@example.com>\n"
                + "Cc: xen-devel@lists.xenproject.org\n"
                + "Subject: " + subject + "\n"
                + "Date: Mon, 9 Mar 2026 10:20:00 +0100\n"
                + "Message-ID: <" + messageId + ">\n"
                + "In-Reply-To: <" + inReplyTo + ">\n"
                + "References: <" + COVER + ">\n <" + inReplyTo + ">\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: " + contentType + "\n"
                + "List-Id: Xen developer discussion <xen-devel.lists.xenproject.org>\n"
                + "Precedence: list\n"
                + "\n" + body));
    }

    static MailMessage replyToPatch2(String from, String body) {
        return reply(from, "reply-" + Integer.toHexString(body.hashCode()) + "@example.org",
                "Re: [PATCH v2 pvcalls-v2 2/3] xen/public: pvcalls: add a flags field", PATCH_2,
                "text/plain; charset=UTF-8", body);
    }

    @Test
    void aBareNackIsRejectedWhateverFollowsIt() {
        String jan = "Jan Beulich <jbeulich@example.com>";
        String topPosted = """
                NACK

                On 04.03.2026 15:40, Mara Kovac wrote:
                > In v3 the flags go into the reserved padding of the connect and accept
                > arguments, so the request layout of version 1 does not change.
                """;
        String signedOff = "NACK\n\nBest regards,\nJan Beulich, SUSE Software Solutions\n";
        String footed = "NACK\n\n" + FOOTER;
        for (String body : List.of(topPosted, signedOff, footed)) {
            Decision d = MessageDecision.decide(replyToPatch2(jan, body), knowing("jan"));
            assertThat(d.verdict()).as(body).isEqualTo(Verdict.REJECT);
            assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).startsWith(MessageDecision.NOT_SPECIFIC));
        }

        // Mailman adds its footer as a part of its own to a multipart message; the parts' texts are joined.
        MailMessage footerPart = reply(jan, "nack-footer-part@example.com",
                "Re: [PATCH v2 pvcalls-v2 2/3] xen/public: pvcalls: add a flags field", PATCH_2,
                "multipart/mixed; boundary=\"===============1234==\"", """
                --===============1234==
                Content-Type: text/plain; charset=UTF-8

                NACK
                --===============1234==
                Content-Type: text/plain; charset="us-ascii"
                Content-Disposition: inline

                """ + FOOTER + "--===============1234==--\n");
        assertThat(footerPart.body()).contains("NACK\n____");
        assertThat(MessageDecision.decide(footerPart, knowing("jan")).verdict()).isEqualTo(Verdict.REJECT);
    }

    @Test
    void theReasonAboveABareNackRaisesTheObjection() {
        String body = """
                On 03.03.2026 10:12, Mara Kovac wrote:
                > --- a/xen/include/public/io/pvcalls.h
                > +++ b/xen/include/public/io/pvcalls.h
                > @@ -60,6 +60,7 @@ struct xen_pvcalls_request {
                >      uint32_t req_id; /* private to guest, echoed in response */
                >      uint32_t cmd;    /* command to execute */
                > +    uint32_t flags;  /* PVCALLS_FLAG_* */

                This changes the layout of struct xen_pvcalls_socket for 32-bit
                guests, which existing frontends rely on.

                NACK.

                Jan
                """;
        Decision d = MessageDecision.decide(replyToPatch2("Jan Beulich <jbeulich@example.com>", body), knowing("jan"));
        assertThat(d.verdict()).isEqualTo(Verdict.ACT);
        assertThat(d.actions()).containsExactly(new MailAction.Raise("jan", ObjectionCategory.OTHER,
                "xen/include/public/io/pvcalls.h @@ -60,6 +60,7 @@",
                "This changes the layout of struct xen_pvcalls_socket for 32-bit\nguests, which existing frontends rely on."));
    }

    @Test
    void theAuthorsUsualWaysOfWithdrawingWithdraw() {
        Objection answered = new Objection("pvcalls-v2.o1", "pvcalls-v2", "ines", ObjectionStatus.ANSWERED, NACK);
        for (String says : List.of("Thanks, NACK withdrawn.", "Consider my objection withdrawn.",
                "That works for me. I retract my NACK.", "Thanks, NACK retracted.",
                "I'm dropping my objection, v3 keeps the layout.", "NACK dropped.", "I drop my NACK.")) {
            MailMessage withdrawal = variant("reply-withdraw.eml", "That works for me. With that change I withdraw my NACK.",
                    says);
            assertThat(MessageDecision.decide(withdrawal, knowing("ines", answered)).actions()).as(says)
                    .containsExactly(new MailAction.Withdraw("ines", "pvcalls-v2.o1", says + "\n\nInes"));
        }
    }

    @Test
    void aNakRaisesAnObjectionAsANackDoes() {
        MailMessage nak = variant("reply-nack-abi.eml", "NACK [ABI]: the new field", "NAK [ABI]: the new field");
        assertThat(nak.body()).contains("NAK [ABI]: the new field");
        Decision d = MessageDecision.decide(nak, knowing("ines"));
        assertThat(d.verdict()).isEqualTo(Verdict.ACT);
        assertThat(d.actions()).singleElement().isInstanceOfSatisfying(MailAction.Raise.class, r -> {
            assertThat(r.category()).isEqualTo(ObjectionCategory.ABI);
            assertThat(r.section()).isEqualTo("xen/include/public/io/pvcalls.h @@ -60,6 +60,7 @@");
            assertThat(r.rationale()).startsWith("the new field moves the union by four bytes");
        });

        MailMessage vague = variant("reply-nack-abi.eml", "NACK [ABI]: the new field moves the union by four bytes, so a version 1\n"
                + "backend reads the arguments of every command at the wrong offset. Put the\n"
                + "flags into the command specific part, or bump the protocol version.", "Nak.");
        assertThat(MessageDecision.decide(vague, knowing("ines")).verdict()).isEqualTo(Verdict.REJECT);
    }

    @Test
    void askingForAWithdrawalOrPromisingOneReaffirms() {
        Objection answered = new Objection("pvcalls-v2.o1", "pvcalls-v2", "ines", ObjectionStatus.ANSWERED, NACK);
        for (String says : List.of("Please withdraw this version and resend with explicit padding.",
                "I will withdraw my NACK once the padding is made explicit.",
                "I will drop my NACK once the padding is made explicit.",
                "I'd retract it if the padding were zeroed by every frontend.")) {
            MailMessage reply = variant("reply-withdraw.eml", "That works for me. With that change I withdraw my NACK.", says);
            assertThat(MessageDecision.decide(reply, knowing("ines", answered)).actions()).as(says)
                    .containsExactly(new MailAction.Reaffirm("ines", "pvcalls-v2.o1", says + "\n\nInes"));
        }
    }

    @Test
    void aWithdrawalOutsideTheObjectionsThreadRaisesNothingAndWithdrawsNothing() {
        // Ines answers the v3 cover letter, a new thread: the objection her NACK raised is not in it.
        String v3Cover = "20260309081500.4242-1-mara.kovac@example.com";
        MailMessage elsewhere = reply("Ines Duarte <ines@example.org>", "v3-ok-1@example.org",
                "Re: [PATCH v3 pvcalls-v2 0/3] pvcalls: multiple data rings", v3Cover, "text/plain; charset=UTF-8",
                "NACK withdrawn, v3 addresses my concern.\n\nInes\n");
        Objection answered = new Objection("pvcalls-v2.o1", "pvcalls-v2", "ines", ObjectionStatus.ANSWERED, NACK);
        Decision d = MessageDecision.decide(elsewhere, knowing("ines", answered));
        assertThat(d.verdict()).isEqualTo(Verdict.IGNORE);
        assertThat(d.actions()).isEmpty();
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).startsWith(MessageDecision.NOTHING_ACTIONABLE)
                .contains("withdraws only in the thread of the NACK"));
    }

    @Test
    void anOutlookReplyIsAnsweredWithoutTheMessageItQuotesBelow() {
        String body = """
                Agreed. v3 keeps the request layout of version 1 and puts the flags into
                the reserved padding of the connect and accept arguments.

                Mara

                -----Original Message-----
                From: Ines Duarte <ines@example.org>
                Sent: Wednesday, March 4, 2026 11:02 AM
                To: Mara Kovac <mara.kovac@example.com>
                Cc: xen-devel@lists.xenproject.org
                Subject: Re: [PATCH v2 pvcalls-v2 2/3] xen/public: pvcalls: add a flags field

                NACK [ABI]: the new field moves the union by four bytes, so a version 1
                backend reads the arguments of every command at the wrong offset.

                Ines
                """;
        MailMessage outlook = reply("Mara Kovac <mara.kovac@example.com>", "AM0PR04MB1234@example.com",
                "RE: [PATCH v2 pvcalls-v2 2/3] xen/public: pvcalls: add a flags field", NACK, "text/plain; charset=UTF-8",
                body);
        Objection open = new Objection("pvcalls-v2.o1", "pvcalls-v2", "ines", ObjectionStatus.OPEN, NACK);
        assertThat(MessageDecision.decide(outlook, knowing("mara", open)).actions()).containsExactly(
                new MailAction.Answer("mara", "pvcalls-v2.o1", "Agreed. v3 keeps the request layout of version 1 and puts"
                        + " the flags into\nthe reserved padding of the connect and accept arguments.\n\nMara"));
    }

    @Test
    void theCoverLetterTiesTheThreadToTheProposalAndAsksForNothing() {
        Decision d = decide("cover-letter.eml", "mara");
        assertThat(d.proposal()).contains("pvcalls-v2");
        assertThat(d.verdict()).isEqualTo(Verdict.IGNORE);
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).startsWith(MessageDecision.NOTHING_ACTIONABLE));
    }

    @Test
    void aMaintainersReviewedByIsAnAckForEachComponentTheyMaintainAndTheOtherTrailersAreNoted() {
        Decision d = decide("reply-reviewed-by.eml", "tomas");
        assertThat(d.verdict()).isEqualTo(Verdict.ACT);
        assertThat(d.actions()).containsExactly(
                new MailAction.GiveAck("tomas", AckKind.REVIEWED_BY, "linux-frontend"),
                new MailAction.GiveAck("tomas", AckKind.REVIEWED_BY, "pvcalls-docs"));
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r)
                .contains("for ines@example.org, not the sender").contains("no address"));
    }

    @Test
    void aReviewedByOfSomeoneWhoMaintainsNoComponentIsNothingActionable() {
        Decision d = decide("reply-reviewed-by.eml", "tomas.lind@example.net");
        assertThat(d.verdict()).isEqualTo(Verdict.IGNORE);
        assertThat(d.proposal()).contains("pvcalls-v2");
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).startsWith(MessageDecision.NOTHING_ACTIONABLE)
                .contains("REVIEWED_BY by tomas.lind@example.net ignored: they maintain none of"));
    }

    @Test
    void aNackOnAQuotedHunkIsAnObjectionWithItsCategorySectionAndRationale() {
        Decision d = decide("reply-nack-abi.eml", "ines");
        assertThat(d.verdict()).isEqualTo(Verdict.ACT);
        assertThat(d.actions()).singleElement().isInstanceOfSatisfying(MailAction.Raise.class, r -> {
            assertThat(r.actor()).isEqualTo("ines");
            assertThat(r.category()).isEqualTo(ObjectionCategory.ABI);
            assertThat(r.section()).isEqualTo("xen/include/public/io/pvcalls.h @@ -60,6 +60,7 @@");
            assertThat(r.rationale()).startsWith("the new field moves the union by four bytes")
                    .endsWith("or bump the protocol version.");
        });
    }

    @Test
    void aNackWithoutASpecificReasonRejectsTheWholeMessage() {
        MailMessage vague = variant("reply-nack-abi.eml", "NACK [ABI]: the new field moves the union by four bytes, so a version 1\n"
                + "backend reads the arguments of every command at the wrong offset. Put the\n"
                + "flags into the command specific part, or bump the protocol version.", "NACK: I do not like it.\n\n"
                + "Acked-by: Ines Duarte <ines@example.org>");
        Decision d = MessageDecision.decide(vague, knowing("ines"));
        assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(d.actions()).isEmpty();
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).startsWith(MessageDecision.NOT_SPECIFIC)
                .contains("in at least 30"));
    }

    @Test
    void theOwnersReplyInTheObjectionsThreadAnswersItWithTheirOwnText() {
        Objection open = new Objection("pvcalls-v2.o1", "pvcalls-v2", "ines", ObjectionStatus.OPEN, NACK);
        Decision d = decide("reply-owner-answer.eml", "mara", open);
        assertThat(d.actions()).singleElement().isInstanceOfSatisfying(MailAction.Answer.class, a -> {
            assertThat(a.actor()).isEqualTo("mara");
            assertThat(a.objectionId()).isEqualTo("pvcalls-v2.o1");
            assertThat(a.text()).startsWith("You are right about the offset.").endsWith("advertises version 2.\n\nMara")
                    .doesNotContain("wrote:").doesNotContain("NACK [ABI]");
        });
    }

    @Test
    void theAuthorsReplyToAnAnswerWithdrawsWhenItSaysSoAndReaffirmsOtherwise() {
        Objection answered = new Objection("pvcalls-v2.o1", "pvcalls-v2", "ines", ObjectionStatus.ANSWERED, NACK);
        assertThat(decide("reply-withdraw.eml", "ines", answered).actions()).containsExactly(
                new MailAction.Withdraw("ines", "pvcalls-v2.o1", "That works for me. With that change I withdraw my NACK.\n\nInes"));

        MailMessage standsBy = variant("reply-withdraw.eml", "That works for me. With that change I withdraw my NACK.",
                "The padding is not reserved in version 1: old frontends leave garbage there.\nNACK [ABI] still.");
        Decision d = MessageDecision.decide(standsBy, knowing("ines", answered));
        assertThat(d.actions()).singleElement().isInstanceOfSatisfying(MailAction.Reaffirm.class,
                r -> assertThat(r.text()).startsWith("The padding is not reserved"));
        // Its NACK restates the objection of the thread: no second objection.
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).contains("restates objection pvcalls-v2.o1"));
    }

    @Test
    void aReplyByAnyoneElseInTheThreadOrToAClosedObjectionDoesNothing() {
        Objection answered = new Objection("pvcalls-v2.o1", "pvcalls-v2", "ines", ObjectionStatus.ANSWERED, NACK);
        Decision stranger = MessageDecision.decide(message("reply-withdraw.eml"), knowing("someone", answered));
        assertThat(stranger.verdict()).isEqualTo(Verdict.IGNORE);
        assertThat(stranger.reason()).hasValueSatisfying(r -> assertThat(r).contains("neither the proposal's owner"));

        Objection withdrawn = new Objection("pvcalls-v2.o1", "pvcalls-v2", "ines", ObjectionStatus.WITHDRAWN, NACK);
        assertThat(decide("reply-withdraw.eml", "ines", withdrawn).reason())
                .hasValueSatisfying(r -> assertThat(r).contains("WITHDRAWN already"));
    }

    @Test
    void anotherListIsIgnoredWhateverTheMessageSays() {
        MailMessage elsewhere = variant("reply-nack-abi.eml", "<xen-devel.lists.xenproject.org>", "<qemu-devel.nongnu.org>");
        Decision d = MessageDecision.decide(elsewhere, knowing("ines"));
        assertThat(d.verdict()).isEqualTo(Verdict.IGNORE);
        assertThat(d.proposal()).isEmpty();
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).startsWith(MessageDecision.NOT_FROM_THE_LIST));
    }

    @Test
    void aMessageNoPersonWroteIsIgnoredThoughItQuotesANack() {
        // pv-lifecycle's own notices and replies come back through the list and quote people's NACKs.
        MailMessage notice = variant("reply-nack-abi.eml", "From: Ines Duarte <ines@example.org>\n",
                "From: Ines Duarte <ines@example.org>\nAuto-Submitted: auto-generated\n");
        Decision d = MessageDecision.decide(notice, knowing("ines"));
        assertThat(d.verdict()).isEqualTo(Verdict.IGNORE);
        assertThat(d.actions()).isEmpty();
        assertThat(d.reason()).hasValue(MessageDecision.AUTOMATIC + " (Auto-Submitted: auto-generated)");

        MailMessage person = variant("reply-nack-abi.eml", "From: Ines Duarte <ines@example.org>\n",
                "From: Ines Duarte <ines@example.org>\nAuto-Submitted: no\n");
        assertThat(MessageDecision.decide(person, knowing("ines")).verdict()).isNotEqualTo(Verdict.IGNORE);
    }

    @Test
    void aPatchWithoutTheIdInItsSubjectBelongsToTheProposalWhosePathItTouches() {
        MailMessage unnamed = variant("patch-1-pvcalls-doc.eml", "[PATCH v2 pvcalls-v2 1/3]", "[PATCH v2 1/3]");
        Knowledge noThread = new Knowledge(LIST, "mara", Map.of(PVCALLS.id(), PVCALLS), Map.of(), List.of(), MAINTAINERS);
        assertThat(MessageDecision.decide(unnamed, noThread).proposal()).contains("pvcalls-v2");

        Proposal other = new Proposal("pvcalls-v3", "ines", Stage.DESIGN, List.of("pvcalls-docs"), List.of("docs/misc/"));
        Knowledge two = new Knowledge(LIST, "mara", Map.of(PVCALLS.id(), PVCALLS, other.id(), other), Map.of(), List.of(),
                MAINTAINERS);
        Decision d = MessageDecision.decide(unnamed, two);
        assertThat(d.proposal()).isEmpty();
        assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).startsWith(MessageDecision.NO_PROPOSAL)
                .contains("[pvcalls-v2, pvcalls-v3]"));
    }

    @Test
    void aReplyWithoutTheIdInItsSubjectBelongsToTheProposalOfTheThread() {
        MailMessage reply = variant("reply-nack-abi.eml", "[PATCH v2 pvcalls-v2 2/3]", "[PATCH v2 2/3]");
        assertThat(MessageDecision.decide(reply, knowing("ines")).proposal()).contains("pvcalls-v2");
        Knowledge unknownThread = new Knowledge(LIST, "ines", Map.of(PVCALLS.id(), PVCALLS), Map.of(PATCH_2, "gone"),
                List.of(), MAINTAINERS);
        assertThat(MessageDecision.decide(reply, unknownThread).reason())
                .contains(MessageDecision.NO_PROPOSAL);
    }

    @Test
    void aClosedProposalAndABodyThatCouldNotBeReadAreNotActedOn() {
        Proposal withdrawn = new Proposal("pvcalls-v2", "mara", Stage.WITHDRAWN, PVCALLS.components(), PVCALLS.paths());
        Knowledge closed = new Knowledge(LIST, "ines", Map.of("pvcalls-v2", withdrawn), Map.of(), List.of(), MAINTAINERS);
        assertThat(MessageDecision.decide(message("reply-nack-abi.eml"), closed).reason())
                .hasValueSatisfying(r -> assertThat(r).contains("is WITHDRAWN"));

        Decision broken = decide("broken-base64.eml", "tomas");
        assertThat(broken.verdict()).isEqualTo(Verdict.IGNORE);
        assertThat(broken.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("the body could not be read"));
    }

    @Test
    void acksComeBeforeTheOneWaySteps() {
        MailMessage both = variant("reply-nack-abi.eml", "\nInes\n", "\nAcked-by: Ines Duarte <ines@example.org>\n\nInes\n");
        Decision d = MessageDecision.decide(both, knowing("ines"));
        assertThat(d.actions()).hasSize(2);
        assertThat(d.actions().get(0)).isEqualTo(new MailAction.GiveAck("ines", AckKind.ACKED_BY, "pvcalls-docs"));
        assertThat(d.actions().get(1)).isInstanceOf(MailAction.Raise.class);
    }
}
