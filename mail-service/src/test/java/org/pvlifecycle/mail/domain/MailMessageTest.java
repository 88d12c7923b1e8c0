package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvlifecycle.mail.domain.Mails.bytes;
import static org.pvlifecycle.mail.domain.Mails.message;

class MailMessageTest {

    @Nested
    class Headers {
        @Test
        void aPatchOfASeries() {
            MailMessage patch = message("patch-1-pvcalls-doc.eml");
            assertThat(patch.messageId()).isEqualTo("20260303091244.11873-2-mara.kovac@example.com");
            assertThat(patch.from()).isEqualTo(new Sender("Mara Kovac", "mara.kovac@example.com"));
            assertThat(patch.subject()).isEqualTo("[PATCH v2 pvcalls-v2 1/3] docs: pvcalls: describe the version 2 ABI");
            assertThat(patch.listId()).contains("xen-devel.lists.xenproject.org");
            assertThat(patch.inReplyTo()).contains("20260303091244.11873-1-mara.kovac@example.com");
            assertThat(patch.references()).containsExactly("20260303091244.11873-1-mara.kovac@example.com");
            assertThat(patch.date()).contains(Instant.parse("2026-03-03T09:12:45Z"));
            assertThat(patch.bodyProblem()).isEmpty();
        }

        @Test
        void foldedHeadersAreUnfoldedAndTheAddressLowerCased() {
            MailMessage reply = message("reply-reviewed-by.eml");
            assertThat(reply.subject()).isEqualTo("Re: [PATCH v2 pvcalls-v2 1/3] docs: pvcalls: describe the version 2 ABI");
            assertThat(reply.from()).isEqualTo(new Sender("Tomas Lind", "tomas.lind@example.net"));
            assertThat(reply.references()).containsExactly("20260303091244.11873-1-mara.kovac@example.com",
                    "20260303091244.11873-2-mara.kovac@example.com");
            assertThat(reply.repliesTo("20260303091244.11873-1-mara.kovac@example.com")).isTrue();
            assertThat(reply.repliesTo("someone-else@example.com")).isFalse();
        }

        @Test
        void encodedWordsInNameAndSubjectAreDecoded() {
            MailMessage latin1 = message("qp-iso-8859-1.eml");
            assertThat(latin1.from()).isEqualTo(new Sender("Jürgen Weiß", "juergen.weiss@example.de"));
            assertThat(latin1.subject()).isEqualTo("Re: [PATCH v2 pvcalls-v2 1/3] docs: pvcalls: Größe der Ringe");
        }

        @Test
        void aListIdWithoutBracketsIsTakenWhole() {
            MailMessage m = MailMessage.parse(bytes("Message-ID: <a@b>\nFrom: x@example.org\n"
                    + "List-Id: xen-devel.lists.xenproject.org\n\nbody\n"));
            assertThat(m.listId()).contains("xen-devel.lists.xenproject.org");
            assertThat(m.subject()).isEmpty();
            assertThat(m.date()).isEmpty();
            assertThat(m.inReplyTo()).isEmpty();
            assertThat(m.from()).isEqualTo(new Sender("", "x@example.org"));
        }

        @Test
        void aBareMessageIdIsAcceptedAndAnInReplyToWithCommentsGivesItsFirstId() {
            MailMessage m = MailMessage.parse(bytes("Message-ID: bare-id@example.org\nFrom: x@example.org\n"
                    + "In-Reply-To: <one@example.org> (Ines Duarte's message of \"Wed, 4 Mar\")\n\nbody\n"));
            assertThat(m.messageId()).isEqualTo("bare-id@example.org");
            assertThat(m.inReplyTo()).contains("one@example.org");
        }
    }

    @Nested
    class RefusedMessages {
        @Test
        void withoutMessageId() {
            assertThatThrownBy(() -> MailMessage.parse(bytes("From: x@example.org\nSubject: s\n\nbody\n")))
                    .isInstanceOfSatisfying(InvalidHeaderException.class,
                            e -> assertThat(e.header()).isEqualTo("Message-ID"))
                    .hasMessage("Message-ID: missing");
            assertThatThrownBy(() -> MailMessage.parse(bytes("Message-ID:   \nFrom: x@example.org\n\nbody\n")))
                    .isInstanceOfSatisfying(InvalidHeaderException.class,
                            e -> assertThat(e.header()).isEqualTo("Message-ID"));
            assertThatThrownBy(() -> MailMessage.parse(new byte[0]))
                    .isInstanceOfSatisfying(InvalidHeaderException.class,
                            e -> assertThat(e.header()).isEqualTo("Message-ID"));
        }

        @Test
        void withoutFromOrWithAFromThatHasNoAddress() {
            assertThatThrownBy(() -> MailMessage.parse(bytes("Message-ID: <a@b>\nSubject: s\n\nbody\n")))
                    .isInstanceOfSatisfying(InvalidHeaderException.class, e -> assertThat(e.header()).isEqualTo("From"))
                    .hasMessage("From: missing");
            assertThatThrownBy(() -> MailMessage.parse(bytes("Message-ID: <a@b>\nFrom: Just A Name\n\nbody\n")))
                    .isInstanceOfSatisfying(InvalidHeaderException.class, e -> assertThat(e.header()).isEqualTo("From"))
                    .hasMessageContaining("no address");
        }

        @Test
        void aHeaderWithTheNulCharacterIsRefusedAndABodyWithOneIsNotRead() {
            // Raw, and as an encoded word: PostgreSQL's text could keep neither.
            assertThatThrownBy(() -> MailMessage.parse(bytes("Message-ID: <a@b>\nFrom: x@example.org\nSubject: a\0b\n\nbody\n")))
                    .isInstanceOfSatisfying(InvalidHeaderException.class, e -> assertThat(e.header()).isEqualTo("Subject"));
            assertThatThrownBy(() -> MailMessage.parse(bytes(
                    "Message-ID: <a@b>\nFrom: x@example.org\nSubject: =?UTF-8?Q?a=00b?=\n\nbody\n")))
                    .isInstanceOfSatisfying(InvalidHeaderException.class, e -> assertThat(e.header()).isEqualTo("Subject"));
            MailMessage m = MailMessage.parse(bytes("Message-ID: <a@b>\nFrom: x@example.org\nSubject: s\n\n"
                    + "Acked-by: X <x@example.org>\0\n"));
            assertThat(m.bodyProblem()).contains("the body holds the NUL character (U+0000)");
            assertThat(m.body()).doesNotContain("\0");
        }
    }

    @Nested
    class Bodies {
        @Test
        void quotedPrintableIso88591() {
            MailMessage m = message("qp-iso-8859-1.eml");
            assertThat(m.body()).startsWith("Hallo Mara,\n\nich habe die Änderung an der Größe des Rings geprüft")
                    .contains("Reviewed-by: Jürgen Weiß <juergen.weiss@example.de>\n")
                    .doesNotContain("\r");
            assertThat(m.bodyProblem()).isEmpty();
        }

        @Test
        void base64Utf8() {
            MailMessage m = message("base64-utf8.eml");
            assertThat(m.body()).contains("a version 1 backend still works. 😀\n")
                    .contains("Reviewed-by: Tomas Lind <tomas.lind@example.net>");
            assertThat(m.bodyProblem()).isEmpty();
        }

        @Test
        void quotedPrintableWindows1252() {
            MailMessage m = message("windows-1252.eml");
            assertThat(m.body()).isEqualTo("Ines wrote the “responsive manner” rule – it costs 0€ to follow.\n");
            assertThat(m.bodyProblem()).isEmpty();
        }

        @Test
        void aMultipartGivesItsPlainTextAndItsAttachedPatchButNotItsHtml() {
            MailMessage m = message("multipart-attached-patch.eml");
            assertThat(m.body()).startsWith("Before I send v3, does this placement of the flags look right?")
                    .doesNotContain("<html>").doesNotContain("diff --git");
            assertThat(m.attachedPatches()).singleElement().asString()
                    .contains("diff --git a/xen/include/public/io/pvcalls.h b/xen/include/public/io/pvcalls.h");
            assertThat(m.bodyProblem()).isEmpty();
        }

        @Test
        void ofAnAlternativeOnlyThePlainOneAndNoForwardedMessage() {
            String raw = """
                    Message-ID: <alt@example.org>
                    From: x@example.org
                    MIME-Version: 1.0
                    Content-Type: multipart/mixed; boundary="outer"

                    --outer
                    Content-Type: multipart/alternative; boundary="inner"

                    --inner
                    Content-Type: text/plain; charset=us-ascii

                    plain words
                    --inner
                    Content-Type: text/plain; charset=us-ascii

                    a second plain alternative
                    --inner
                    Content-Type: text/html

                    <p>html words</p>
                    --inner--
                    --outer
                    Content-Type: message/rfc822

                    Message-ID: <fwd@example.org>
                    From: y@example.org

                    Acked-by: y <y@example.org>
                    --outer
                    Content-Type: text/plain; name="notes.txt"
                    Content-Disposition: attachment; filename="notes.txt"

                    an attached text file
                    --outer--
                    """;
            MailMessage m = MailMessage.parse(bytes(raw));
            assertThat(m.body()).isEqualTo("plain words");
            assertThat(m.attachedPatches()).isEmpty();
        }

        @Test
        void undeclaredUtf8InAnAsciiBodyIsReadAsUtf8() {
            MailMessage m = MailMessage.parse(bytes("Message-ID: <a@b>\nFrom: x@example.org\n\nGrüße aus Dresden\n"));
            assertThat(m.body()).isEqualTo("Grüße aus Dresden\n");
            assertThat(m.bodyProblem()).isEmpty();
        }

        @Test
        void latin1BytesInAnAsciiBodyAreAProblemNotACrash() {
            byte[] raw = "Message-ID: <a@b>\nFrom: x@example.org\n\nGr\u00fc\u00dfe\n".getBytes(StandardCharsets.ISO_8859_1);
            MailMessage m = MailMessage.parse(raw);
            assertThat(m.bodyProblem()).hasValueSatisfying(p -> assertThat(p).contains("not valid US-ASCII"));
        }
    }

    @Nested
    class BrokenBodiesAreReportedNotThrown {
        @Test
        void brokenBase64() {
            MailMessage m = message("broken-base64.eml");
            assertThat(m.messageId()).isEqualTo("broken-base64-0001@example.net");
            assertThat(m.bodyProblem()).contains("text/plain: broken base64 (Unexpected end of BASE64 stream)");
            assertThat(m.body()).startsWith("Reviewed-by: Tomas Lind <tomas.lind@example.net>\nAcked-by: ");
        }

        @Test
        void base64DataAfterThePaddingIsLostAndSaidSo() {
            MailMessage m = MailMessage.parse(bytes("Message-ID: <a@b>\nFrom: x@example.org\n"
                    + "Content-Transfer-Encoding: base64\n\nUmV2aWV3ZWQ=\nUmV2aWV3ZWQ=\n"));
            assertThat(m.body()).isEqualTo("Reviewed");
            assertThat(m.bodyProblem()).contains(
                    "text/plain: broken base64 (data after the padding, which the decoder drops)");
        }

        @Test
        void anUnknownCharset() {
            MailMessage m = message("unknown-charset.eml");
            assertThat(m.bodyProblem()).contains("text/plain: unknown charset x-no-such-charset");
            assertThat(m.body()).contains("Acked-by: Tomas Lind <tomas.lind@example.net>");
        }

        @Test
        void bytesThatAreNotValidInTheDeclaredCharset() {
            MailMessage m = message("invalid-utf8.eml");
            assertThat(m.bodyProblem()).contains("text/plain: bytes that are not valid UTF-8");
            assertThat(m.body()).isEqualTo("Caf\uFFFD au lait\n");
        }

        @Test
        void anUnknownTransferEncoding() {
            MailMessage m = MailMessage.parse(bytes("Message-ID: <a@b>\nFrom: x@example.org\n"
                    + "Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n\nbegin 644 x\n"));
            assertThat(m.bodyProblem()).contains("text/plain: unknown Content-Transfer-Encoding x-uuencode");
        }

        @Test
        void brokenQuotedPrintable() {
            MailMessage m = MailMessage.parse(bytes("Message-ID: <a@b>\nFrom: x@example.org\n"
                    + "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nbad =ZZ escape\n"));
            assertThat(m.bodyProblem()).hasValueSatisfying(p -> assertThat(p).startsWith("text/plain: broken quoted-printable"));
        }
    }
}
