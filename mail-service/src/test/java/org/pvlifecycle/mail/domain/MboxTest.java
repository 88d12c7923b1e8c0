package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvlifecycle.mail.domain.Mails.bytes;
import static org.pvlifecycle.mail.domain.Mails.raw;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

class MboxTest {

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void splitsAThreadArchiveIntoItsMessages() {
        List<byte[]> messages = Mbox.split(raw("pvcalls-v2-thread.mboxrd"));
        assertThat(messages).hasSize(3);
        assertThat(messages.stream().map(MailMessage::parse).map(MailMessage::messageId)).containsExactly(
                "20260303091244.11873-1-mara.kovac@example.com", "20260303091244.11873-2-mara.kovac@example.com",
                "f00dfeed-0042-4c1a-9d2e-3b4c5d6e7f80@example.org");
        // Each message is as it was sent: no separator line, no separating empty line.
        assertThat(messages.get(1)).isEqualTo(raw("patch-1-pvcalls-doc.eml"));
        assertThat(messages.get(2)).isEqualTo(raw("reply-nack-abi.eml"));
    }

    @Test
    void mboxrdTakesOneQuoteOffEachEscapedFromLine() {
        String cover = MailMessage.parse(Mbox.split(raw("pvcalls-v2-thread.mboxrd")).get(0)).body();
        assertThat(cover).contains("\nFrom the v1 review:\n>From a quoted line, escaped twice in the archive.\n");
    }

    @Test
    void mboxoLeavesLinesAsTheyAre() {
        String cover = text(Mbox.split(raw("pvcalls-v2-thread.mboxrd"), Mbox.Format.MBOXO).get(0));
        assertThat(cover).contains("\n>From the v1 review:\n>>From a quoted line");
    }

    @Test
    void aFromLineThatDoesNotFollowAnEmptyLineStaysInItsMessage() {
        String archive = "From a@example.org Mon Mar  2 10:00:00 2026\nMessage-ID: <1@x>\nFrom: a@example.org\n\n"
                + "first line\nFrom here on, unescaped.\n\n"
                + "From b@example.org Mon Mar  2 11:00:00 2026\nMessage-ID: <2@x>\nFrom: b@example.org\n\nsecond\n";
        List<byte[]> messages = Mbox.split(bytes(archive));
        assertThat(messages).hasSize(2);
        assertThat(text(messages.get(0))).endsWith("first line\nFrom here on, unescaped.\n");
        assertThat(text(messages.get(1))).isEqualTo("Message-ID: <2@x>\nFrom: b@example.org\n\nsecond\n");
    }

    @Test
    void keepsCrlfLineEnds() {
        String archive = "From a@x Mon Mar  2 10:00:00 2026\r\nMessage-ID: <1@x>\r\nFrom: a@x.org\r\n\r\n"
                + ">From me\r\n\r\nFrom b@x Mon Mar  2 11:00:00 2026\r\nMessage-ID: <2@x>\r\n\r\nb\r\n";
        List<byte[]> messages = Mbox.split(bytes(archive));
        assertThat(messages).extracting(MboxTest::text).containsExactly(
                "Message-ID: <1@x>\r\nFrom: a@x.org\r\n\r\nFrom me\r\n", "Message-ID: <2@x>\r\n\r\nb\r\n");
    }

    @Test
    void anEmptyArchiveHasNoMessagesAndSomethingElseIsNoArchive() {
        assertThat(Mbox.split(new byte[0])).isEmpty();
        assertThat(Mbox.split(bytes("\n\n"))).isEmpty();
        assertThatThrownBy(() -> Mbox.split(raw("cover-letter.eml")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an mbox archive");
    }

    private static final Pattern FROM_LINE = Pattern.compile("^>*From ");

    /** What an mboxrd writer does: a separator, every >*From line one more >, an empty line after each message. */
    static String writeMboxrd(List<String> bodies) {
        StringBuilder out = new StringBuilder();
        for (String body : bodies) {
            out.append("From someone@example.org Mon Mar  2 10:00:00 2026\n");
            for (String line : body.split("\n", -1)) {
                out.append(FROM_LINE.matcher(line).find() ? ">" + line : line).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    @Test
    void splittingUndoesWritingForAnyBodies() {
        Gen<String> line = arbitrary().pick(List.of("From the start", ">From a quote", ">>From deeper", "From", "text",
                "", "From: a@example.org", " From indented", "Fromage"));
        Gen<String> body = lists().of(line).ofSizeBetween(1, 8).map(lines -> "Subject: s\n\n" + String.join("\n", lines));
        qt().withExamples(1000).forAll(lists().of(body).ofSizeBetween(1, 4)).checkAssert(bodies -> {
            List<byte[]> split = Mbox.split(bytes(writeMboxrd(bodies)));
            List<String> expected = new ArrayList<>();
            bodies.forEach(b -> expected.add(b + "\n"));
            assertThat(split).extracting(MboxTest::text).isEqualTo(expected);
        });
    }
}
