package org.pvlifecycle.mail.domain;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.MimeUtil;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One list message as the mail bridge reads it (docs/mail.md), parsed from its raw RFC 822 bytes
 * by Apache mime4j.
 *
 * <ul>
 * <li>{@code messageId}: the {@code Message-ID} without its angle brackets;</li>
 * <li>{@code from}: the first mailbox of {@code From};</li>
 * <li>{@code subject}: unfolded and RFC 2047 decoded ("" when absent);</li>
 * <li>{@code listId}: the part of {@code List-Id} in angle brackets (RFC 2919), or its whole text
 * when it has none;</li>
 * <li>{@code inReplyTo}: the first id of {@code In-Reply-To}; {@code references}: every id of
 * {@code References}, oldest first;</li>
 * <li>{@code body}: the text the sender wrote ({@link BodyText} says which parts and how they are
 * decoded); {@code attachedPatches}: patches sent as attachments; {@code bodyProblem}: why the body
 * could not be decoded faithfully, if it could not (the body then holds what could be read, and
 * the caller should record the reason rather than act on it).</li>
 * </ul>
 * A message without a usable {@code Message-ID} or {@code From} is refused with an
 * {@link InvalidHeaderException} naming the header; nothing else about a message makes
 * {@link #parse} throw.
 */
public record MailMessage(String messageId, Sender from, String subject, Optional<String> listId,
        Optional<String> inReplyTo, List<String> references, Optional<Instant> date, String body,
        List<String> attachedPatches, Optional<String> bodyProblem, Optional<String> autoSubmitted) {

    private static final Pattern MESSAGE_ID = Pattern.compile("<([^<>\\s]+)>");
    private static final Pattern LIST_ID = Pattern.compile("<([^<>]+)>");

    public MailMessage {
        references = List.copyOf(references);
        attachedPatches = List.copyOf(attachedPatches);
    }

    public static MailMessage parse(byte[] raw) {
        Message message = read(raw);
        String messageId = messageId(message);
        Sender from = from(message);
        String subject = Optional.ofNullable(message.getSubject()).map(String::strip).orElse("");
        Optional<String> listId = fieldBody(message, "List-Id").map(MailMessage::listId).filter(s -> !s.isEmpty());
        Optional<String> inReplyTo = fieldBody(message, "In-Reply-To").flatMap(b -> ids(b).stream().findFirst());
        List<String> references = fieldBody(message, "References").map(MailMessage::ids).orElse(List.of());
        Optional<Instant> date = Optional.ofNullable(message.getDate()).map(Date::toInstant);
        BodyText body = BodyText.of(message);
        // RFC 3834: any value but "no" marks a message no person wrote (a notice, an auto-reply).
        Optional<String> autoSubmitted = fieldBody(message, "Auto-Submitted").map(String::strip)
                .map(v -> v.toLowerCase(java.util.Locale.ROOT)).filter(v -> !v.isEmpty() && !v.startsWith("no"));
        // PostgreSQL's text cannot hold NUL: a header with one is refused (422 naming it) rather
        // than failing where the message is recorded; a body with one is not read, as a body that
        // cannot be decoded faithfully is not.
        withoutNul("Message-ID", messageId);
        withoutNul("From", from.name() + from.address());
        withoutNul("Subject", subject);
        withoutNul("List-Id", listId.orElse(""));
        withoutNul("In-Reply-To", inReplyTo.orElse(""));
        withoutNul("References", String.join("", references));
        Optional<String> bodyProblem = body.text().indexOf('\0') >= 0 && body.problem().isEmpty()
                ? Optional.of("the body holds the NUL character (U+0000)") : body.problem();
        return new MailMessage(messageId, from, subject, listId, inReplyTo, references, date,
                body.text().replace("\0", ""), body.attachedPatches(), bodyProblem, autoSubmitted);
    }

    private static void withoutNul(String header, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new InvalidHeaderException(header, "holds the NUL character (U+0000)");
        }
    }

    /** Whether this message answers the other, directly or further down its thread (ids compare exactly, as written). */
    public boolean repliesTo(String otherMessageId) {
        return inReplyTo.filter(otherMessageId::equals).isPresent() || references.contains(otherMessageId);
    }

    private static Message read(byte[] raw) {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        // Lenient: list traffic has long lines, odd headers and sloppy MIME; problems with the body
        // are found and reported when it is decoded (BodyText), not by the parser.
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        builder.setContentDecoding(false);
        try {
            return builder.parseMessage(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            // Only a parser limit can end here: the input is in memory.
            throw new UncheckedIOException(e);
        }
    }

    private static String messageId(Message message) {
        String value = Optional.ofNullable(message.getMessageId()).map(MailMessage::unfold).orElse("");
        if (value.isBlank()) {
            throw new InvalidHeaderException("Message-ID", "missing");
        }
        Matcher bracketed = MESSAGE_ID.matcher(value);
        if (bracketed.find()) {
            return bracketed.group(1);
        }
        String bare = value.strip();
        if (bare.contains(" ") || bare.contains("<") || bare.contains(">")) {
            throw new InvalidHeaderException("Message-ID", "not a message id: " + bare);
        }
        return bare;
    }

    private static Sender from(Message message) {
        if (message.getHeader().getField("From") == null) {
            throw new InvalidHeaderException("From", "missing");
        }
        MailboxList from = message.getFrom();
        Mailbox first = from == null || from.isEmpty() ? null : from.get(0);
        if (first == null || first.getDomain() == null || first.getDomain().isBlank()) {
            String value = fieldBody(message, "From").orElse("");
            throw new InvalidHeaderException("From", "no address in \"" + value + "\"");
        }
        return new Sender(first.getName(), first.getAddress());
    }

    private static Optional<String> fieldBody(Message message, String name) {
        Field field = message.getHeader().getField(name);
        return field == null ? Optional.empty() : Optional.of(unfold(field.getBody()));
    }

    private static String unfold(String value) {
        return MimeUtil.unfold(value).strip();
    }

    private static String listId(String value) {
        Matcher m = LIST_ID.matcher(value);
        return m.find() ? m.group(1).strip() : value.strip();
    }

    private static List<String> ids(String value) {
        List<String> ids = new ArrayList<>();
        Matcher m = MESSAGE_ID.matcher(value);
        while (m.find()) {
            if (!ids.contains(m.group(1))) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }
}
