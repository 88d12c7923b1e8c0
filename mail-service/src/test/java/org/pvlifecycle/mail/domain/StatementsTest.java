package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.mail.domain.Statements.Ack;
import org.pvlifecycle.mail.domain.Statements.Ignored;
import org.pvlifecycle.mail.domain.Statements.Nack;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.pvlifecycle.mail.domain.Mails.message;

class StatementsTest {
    static final String INES = "ines@example.org";

    @Nested
    class Acks {
        @Test
        void theSendersOwnReviewedByCountsAndTrailersForOthersAreIgnoredWithTheirReason() {
            Statements s = Statements.of(message("reply-reviewed-by.eml"));
            assertThat(s.acks()).containsExactly(
                    new Ack(AckKind.REVIEWED_BY, "Tomas Lind", "tomas.lind@example.net", 15));
            assertThat(s.ignored()).extracting(Ignored::line, Ignored::reason).containsExactly(
                    tuple(16, "for ines@example.org, not the sender tomas.lind@example.net:"
                            + " only the sender's own trailer counts"),
                    tuple(17, "no address: a trailer counts only with the sender's own address"));
            // The quoted "> Reviewed-by: Someone Earlier" is neither an ack nor ignored: it is not the sender's line.
            assertThat(s.ignored()).extracting(Ignored::text).noneMatch(t -> t.contains("Someone Earlier"));
            assertThat(s.nacks()).isEmpty();
        }

        @Test
        void theAckedByKindTheTagInAnyCaseAndTheAddressComparedInAnyCase() {
            Statements s = Statements.of("acked-BY: Ines Duarte <Ines@Example.ORG>\n", INES);
            assertThat(s.acks()).containsExactly(new Ack(AckKind.ACKED_BY, "Ines Duarte", INES, 1));
        }

        @Test
        void aDecodedLatin1ReviewedBy() {
            Statements s = Statements.of(message("qp-iso-8859-1.eml"));
            assertThat(s.acks()).extracting(Ack::name).containsExactly("Jürgen Weiß");
        }

        @Test
        void aCommentAfterTheTrailerIsItsScope() {
            String body = """
                    On 11.03.2026 17:02, Mara Kovac wrote:
                    > Acked-by: Someone Earlier <someone@example.org> # arm

                    Acked-by: Jan Beulich <jbeulich@example.com> # x86
                    Reviewed-by: Jan Beulich <jbeulich@example.com> #for the x86 parts
                    Acked-by: jbeulich@example.com # xen/arch/x86/
                    Acked-by: Jan Beulich <jbeulich@example.com> #
                    Acked-by: Jan Beulich <jbeulich@example.com>
                    """;
            Statements s = Statements.of(body, "jbeulich@example.com");
            assertThat(s.acks()).extracting(Ack::line, a -> a.scope().map(AckScope::text).orElse(null)).containsExactly(
                    tuple(4, "x86"), tuple(5, "for the x86 parts"), tuple(6, "xen/arch/x86/"), tuple(7, null),
                    tuple(8, null));
            assertThat(s.acks().get(0).trailer()).isEqualTo("Acked-by: Jan Beulich <jbeulich@example.com> # x86");
            assertThat(s.acks().get(2).trailer()).isEqualTo("Acked-by: jbeulich@example.com # xen/arch/x86/");
            assertThat(s.acks().get(4)).isEqualTo(new Ack(AckKind.ACKED_BY, "Jan Beulich", "jbeulich@example.com", 8));
        }

        @Test
        void aQuotedAckWithSpacesBeforeTheQuoteIsStillQuoted() {
            assertThat(Statements.of("  > Acked-by: Ines <ines@example.org>\n", INES).acks()).isEmpty();
        }
    }

    @Nested
    class Nacks {
        @Test
        void aNackWithACategoryOnAQuotedHunk() {
            Statements s = Statements.of(message("reply-nack-abi.eml"));
            assertThat(s.nacks()).singleElement().satisfies(n -> {
                assertThat(n.category()).isEqualTo(ObjectionCategory.ABI);
                assertThat(n.section()).isEqualTo("xen/include/public/io/pvcalls.h @@ -60,6 +60,7 @@");
                assertThat(n.rationale()).isEqualTo("the new field moves the union by four bytes, so a version 1\n"
                        + "backend reads the arguments of every command at the wrong offset. Put the\n"
                        + "flags into the command specific part, or bump the protocol version.");
            });
            assertThat(s.acks()).isEmpty();
            assertThat(s.withdraws()).isFalse();
        }

        @Test
        void theOwnersAnswerQuotesTheNackAndRaisesNone() {
            Statements s = Statements.of(message("reply-owner-answer.eml"));
            assertThat(s.nacks()).isEmpty();
            assertThat(s.withdraws()).isFalse();
        }

        @Test
        void withoutABracketOrWithAnUnknownWordTheCategoryIsOther() {
            assertThat(Statements.of("NACK: this breaks 32-bit guests for sure.\n", INES).nacks())
                    .extracting(Nack::category).containsExactly(ObjectionCategory.OTHER);
            assertThat(Statements.of("NACK [style]: naming is odd in this one.\n", INES).nacks())
                    .extracting(Nack::category).containsExactly(ObjectionCategory.OTHER);
        }

        @Test
        void theCategoryWordIsReadInAnyCaseWithSpacesOrDashes() {
            assertThat(Statements.of("Nack: [security] the backend trusts ring-ref.\n", INES).nacks())
                    .extracting(Nack::category, Nack::rationale)
                    .containsExactly(tuple(ObjectionCategory.SECURITY, "the backend trusts ring-ref."));
            assertThat(Statements.of("NACK [Xenstore handshake] x\n", INES).nacks())
                    .extracting(Nack::category).containsExactly(ObjectionCategory.XENSTORE_HANDSHAKE);
            assertThat(Statements.of("NACK [spec-clarity] x\n", INES).nacks())
                    .extracting(Nack::category).containsExactly(ObjectionCategory.SPEC_CLARITY);
        }

        @Test
        void withNoQuotedDiffAboveTheSectionIsGeneral() {
            String body = "> I would like to merge this tomorrow.\n\nNACK [PROTOCOL_SEMANTICS]: the poll command has"
                    + " no defined order.\n";
            assertThat(Statements.of(body, INES).nacks()).extracting(Nack::section).containsExactly(Statements.GENERAL);
        }

        @Test
        void theNearestFileWinsAndAHunkAboveItsFileDoesNotCount() {
            String body = """
                    > diff --git a/docs/misc/pvcalls.pandoc b/docs/misc/pvcalls.pandoc
                    > @@ -1,3 +1,4 @@
                    > +text
                    > > +++ b/xen/include/public/io/pvcalls.h
                    > > +    uint32_t flags;

                    NACK [ABI]: not this field.
                    """;
            assertThat(Statements.of(body, INES).nacks()).extracting(Nack::section)
                    .containsExactly("xen/include/public/io/pvcalls.h");
        }

        @Test
        void aHunkWhoseFileIsNotQuotedIsTheSectionAlone() {
            String body = "> @@ -10,6 +10,9 @@ static int x(void)\n> +foo\n\nNACK [IMPLEMENTATION]: leaks foo.\n";
            assertThat(Statements.of(body, INES).nacks()).extracting(Nack::section)
                    .containsExactly("@@ -10,6 +10,9 @@");
        }

        @Test
        void aQuotedDeletionNamesItsOldFile() {
            String body = "> --- a/docs/misc/old.txt\n> +++ /dev/null\n> @@ -1 +0,0 @@\n> -gone\n\nNACK: keep it for now please.\n";
            assertThat(Statements.of(body, INES).nacks()).extracting(Nack::section)
                    .containsExactly("docs/misc/old.txt @@ -1 +0,0 @@");
        }

        @Test
        void aNackLineWithNothingAfterItTakesTheSendersNextParagraph() {
            String body = "NACK.\n\nThe handshake never says who writes feature-rings first.\n\n> quoted\n";
            assertThat(Statements.of(body, INES).nacks()).extracting(Nack::rationale)
                    .containsExactly("The handshake never says who writes feature-rings first.");
            assertThat(Statements.of("NACK\n", INES).nacks()).extracting(Nack::rationale).containsExactly("");
        }

        @Test
        void aNackedByTakesTheParagraphAboveItAndItsBracketedCategory() {
            String body = """
                    > +    uint32_t flags;

                    This moves the union: version 1 backends break.

                    Nacked-by: Ines Duarte <ines@example.org> [ABI]
                    """;
            assertThat(Statements.of(body, INES).nacks()).singleElement().satisfies(n -> {
                assertThat(n.category()).isEqualTo(ObjectionCategory.ABI);
                assertThat(n.rationale()).isEqualTo("This moves the union: version 1 backends break.");
                assertThat(n.line()).isEqualTo(5);
            });
        }

        @Test
        void aNackedByForSomeoneElseIsIgnored() {
            Statements s = Statements.of("Nacked-by: Tomas Lind <tomas.lind@example.net>\n", INES);
            assertThat(s.nacks()).isEmpty();
            assertThat(s.ignored()).extracting(Ignored::reason).singleElement().asString().startsWith("for tomas.lind@");
        }

        @Test
        void wordsThatOnlyStartLikeNackAreNone() {
            String body = "NACKs are rare here.\nNacking is not needed.\nI would NACK this.\n> NACK [ABI]: quoted\n";
            assertThat(Statements.of(body, INES).nacks()).isEmpty();
        }

        @Test
        void nakIsSpelledNackToo() {
            String body = """
                    On 04.03.2026 15:40, Mara Kovac wrote:
                    > --- a/xen/include/public/io/pvcalls.h
                    > +++ b/xen/include/public/io/pvcalls.h
                    > @@ -60,6 +60,7 @@ struct xen_pvcalls_request {
                    > +    uint32_t flags;  /* PVCALLS_FLAG_* */

                    NAK [ABI]: the new field moves the union by four bytes, so a version 1
                    backend reads the arguments of every command at the wrong offset.

                    Jan
                    """;
            assertThat(Statements.of(body, INES).nacks()).singleElement().satisfies(n -> {
                assertThat(n.category()).isEqualTo(ObjectionCategory.ABI);
                assertThat(n.section()).isEqualTo("xen/include/public/io/pvcalls.h @@ -60,6 +60,7 @@");
                assertThat(n.rationale()).isEqualTo("the new field moves the union by four bytes, so a version 1\n"
                        + "backend reads the arguments of every command at the wrong offset.");
                assertThat(n.line()).isEqualTo(7);
            });
            // "Nak." then why, and "Nak:" with the reason on the line, as for NACK.
            assertThat(Statements.of("Nak.\n\nThe handshake never says who writes feature-rings first.\n", INES).nacks())
                    .extracting(Nack::rationale).containsExactly("The handshake never says who writes feature-rings first.");
            assertThat(Statements.of("nak: the ring size is never negotiated with the backend.\n", INES).nacks())
                    .extracting(Nack::rationale).containsExactly("the ring size is never negotiated with the backend.");
            assertThat(Statements.of("NAK\n", INES).nacks()).extracting(Nack::rationale).containsExactly("");
        }

        @Test
        void wordsThatOnlyStartLikeNakAreNone() {
            String body = """
                    NAKED pointers are fine here, the caller holds the lock.
                    Nakamura-san reported the same hang on his Ryzen box.
                    NAKs are rare here.
                    Nak-ed by nobody so far.
                    Naked-by: Ines Duarte <ines@example.org>
                    > NAK [ABI]: quoted
                    """;
            Statements s = Statements.of(body, INES);
            assertThat(s.nacks()).isEmpty();
            assertThat(s.ignored()).isEmpty();
        }

        @Test
        void aVeryLongSectionIsCutAtThreeHundredCharacters() {
            String path = "d/".repeat(200) + "f.c";
            String body = "> +++ b/" + path + "\n\nNACK [ABI]: the layout changes.\n";
            assertThat(Statements.of(body, INES).nacks()).extracting(Nack::section)
                    .singleElement().asString().hasSize(Statements.MAX_SECTION_LENGTH);
        }
    }

    /**
     * A NACK with nothing after it on its line takes its reason from the sender's prose next to it;
     * what merely sits next to it (an attribution and its quote, a sign-off, the list's footer, a
     * trailer) is no reason, so these NACKs are left without one and the caller rejects them.
     */
    @Nested
    class BareNacks {
        static final String FOOTER = """
                _______________________________________________
                Xen-devel mailing list
                Xen-devel@lists.xenproject.org
                https://lists.xenproject.org/mailman/listinfo/xen-devel
                """;

        @Test
        void aTopPostedNackAboveTheAttributionOfTheQuoteHasNoReason() {
            String body = """
                    NACK

                    On 04.03.2026 15:40, Mara Kovac wrote:
                    > In v3 the flags go into the reserved padding of the connect and accept
                    > arguments, so the request layout of version 1 does not change.
                    """;
            assertThat(Statements.of(body, INES).nacks()).extracting(Nack::rationale).containsExactly("");
        }

        @Test
        void aSignOffIsNoReason() {
            String body = "NACK\n\nBest regards,\nJan Beulich, SUSE Software Solutions\n";
            assertThat(Statements.of(body, INES).nacks()).extracting(Nack::rationale).containsExactly("");
            assertThat(Statements.of("NACK.\n\nThanks, Jan\n", INES).nacks()).extracting(Nack::rationale)
                    .containsExactly("");
        }

        @Test
        void theListFooterIsNoReasonWhetherAfterABlankLineOrRightBelow() {
            assertThat(Statements.of("NACK\n\n" + FOOTER, INES).nacks()).extracting(Nack::rationale).containsExactly("");
            // A second text/plain part is joined to the first with a single line end.
            assertThat(Statements.of("NACK\n" + FOOTER, INES).nacks()).extracting(Nack::rationale).containsExactly("");
        }

        @Test
        void aSignatureOrATrailerIsNoReason() {
            String signature = "NACK\n\n-- \nJan Beulich, SUSE Software Solutions Germany GmbH\n";
            assertThat(Statements.of(signature, INES).nacks()).extracting(Nack::rationale).containsExactly("");
            String trailer = "NACK\n\nCc: Tomas Lind <tomas.lind@example.net>, Roger Pau Monne <roger@example.com>\n";
            assertThat(Statements.of(trailer, INES).nacks()).extracting(Nack::rationale).containsExactly("");
        }

        @Test
        void theReasonInTheParagraphAboveABareNackCountsAndTheNameBelowItDoesNot() {
            String body = """
                    > @@ -60,6 +60,7 @@ struct xen_pvcalls_request {
                    >      uint32_t cmd;    /* command to execute */
                    > +    uint32_t flags;  /* PVCALLS_FLAG_* */

                    This changes the layout of struct xen_pvcalls_socket for 32-bit
                    guests, which existing frontends rely on.

                    NACK.

                    Jan
                    """;
            assertThat(Statements.of(body, INES).nacks()).singleElement().satisfies(n -> {
                assertThat(n.rationale()).isEqualTo("This changes the layout of struct xen_pvcalls_socket for 32-bit\n"
                        + "guests, which existing frontends rely on.");
                assertThat(n.section()).isEqualTo("@@ -60,6 +60,7 @@");
                assertThat(n.line()).isEqualTo(8);
            });
        }

        @Test
        void theReasonBelowStillComesFirstAndItsSignOffIsNotPartOfIt() {
            String body = "Hi Mara,\n\nNACK.\n\nThe handshake never says who writes feature-rings first.\nThanks,\nJan\n";
            assertThat(Statements.of(body, INES).nacks()).extracting(Nack::rationale)
                    .containsExactly("The handshake never says who writes feature-rings first.");
        }
    }

    /** Outlook puts the whole message it answers under the reply, unmarked: none of it is the sender's. */
    @Nested
    class OutlookQuotes {
        @Test
        void everythingFromOriginalMessageOnIsQuoted() {
            String body = """
                    Sounds good to me, thanks.

                    -----Original Message-----
                    From: Ines Duarte <ines@example.org>
                    Sent: Wednesday, March 4, 2026 11:02 AM
                    To: Mara Kovac <mara.kovac@example.com>
                    Subject: Re: [PATCH v2 pvcalls-v2 2/3] xen/public: pvcalls: add a flags field

                    NACK [ABI]: the new field moves the union by four bytes, so a version 1
                    backend reads the arguments of every command at the wrong offset.

                    Acked-by: Tomas Lind <tomas.lind@example.net>
                    I withdraw my NACK.
                    """;
            Statements s = Statements.of(body, "tomas.lind@example.net");
            assertThat(s.nacks()).isEmpty();
            assertThat(s.acks()).isEmpty();
            assertThat(s.withdraws()).isFalse();
        }

        @Test
        void aFromLineFollowedByMessageHeadersStartsTheQuoteToo() {
            String body = """
                    Fine with me.

                    From: Ines Duarte <ines@example.org>
                    Sent: Wednesday, March 4, 2026 11:02 AM
                    To: Mara Kovac <mara.kovac@example.com>
                    Cc: xen-devel@lists.xenproject.org
                    Subject: Re: [PATCH v2 pvcalls-v2 2/3] xen/public: pvcalls: add a flags field

                    NACK [ABI]: the new field moves the union by four bytes, so a version 1
                    backend reads the arguments of every command at the wrong offset.
                    """;
            assertThat(Statements.of(body, INES).nacks()).isEmpty();
            assertThat(Statements.of("Fine with me.\n\n________________________________\n" + body.substring(body.indexOf("From:")),
                    INES).nacks()).isEmpty();
            // A From: line that heads no message is the sender's own.
            assertThat(Statements.of("From: the backend's point of view this is fine.\nNACK [ABI]: but the frontend"
                    + " reads the union at the wrong offset.\n", INES).nacks()).hasSize(1);
        }
    }

    /**
     * A pattern that backtracks over such a line overflows the stack or never ends; the build's
     * fork timeout ends the latter, so no wall-clock bound is asserted here.
     */
    @Test
    void megabyteLinesAreReadWhole() {
        String spaces = " ".repeat(1 << 20);
        String body = "Acked-by: a" + spaces + "b\nNACK [" + spaces + "x\nReviewed-by: \"x\"" + spaces + "<" + spaces + "\n";
        assertThat(Statements.of(body, INES).nacks()).hasSize(1);
        String patch = "diff --git a/" + " b/".repeat(1 << 18) + "\n";
        assertThat(PatchedPaths.of(patch)).isEmpty();
    }
}
