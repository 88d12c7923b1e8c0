package org.pvlifecycle.mail.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A reply to the sender of a list message (docs/mail.md, "Replies to senders"): to the sender
 * alone, not the list, in the message's thread, plain text. Its own Message-ID is derived from the
 * message's, so a reply sent twice (a crash after the server took it, before it was recorded as
 * sent) is recognisably the same message to the recipient's mail client. A message owes at most
 * one ({@link #owed}); what it says is {@link NackReply}'s or {@link ScopedAckReply}'s.
 */
public record Reply(String to, String subject, String messageId, String inReplyTo, List<String> references,
        String text) {
    private static final Pattern RE = Pattern.compile("^(?i)re:\\s*");
    /** The longest line of the replies' prose: plain-text mail reads best in lines of at most 72 characters. */
    static final int WIDTH = 72;

    public Reply {
        references = List.copyOf(references);
    }

    /**
     * The reply {@code message} owes its sender once {@code decision} is made about it, from
     * {@code fromDomain}: for a NACK rejected as not specific, the {@link NackReply}, which also names
     * any scoped trailer that would not have counted (nothing of the message was applied, so the
     * sender sends a new one and had better get both right in it); else for scoped trailers that
     * gave no ack, the {@link ScopedAckReply}; else none.
     */
    public static Optional<Reply> owed(MailMessage message, Decision decision, String fromDomain) {
        // Only a NACK that is not a specific technical objection rejects a message (MessageDecision).
        if (decision.verdict() == Decision.Verdict.REJECT) {
            return Optional.of(NackReply.to(message, decision.reason().orElseThrow(), decision.proposal().orElseThrow(),
                    decision.uncountedAcks(), fromDomain));
        }
        if (!decision.uncountedAcks().isEmpty()) {
            return Optional.of(ScopedAckReply.to(message, decision.proposal().orElseThrow(), decision.uncountedAcks(),
                    decision.actions(), fromDomain));
        }
        return Optional.empty();
    }

    /**
     * The reply to {@code message} saying {@code body} (paragraphs, without greeting or signature),
     * from {@code fromDomain}.
     */
    static Reply answering(MailMessage message, String body, String fromDomain) {
        String subject = RE.matcher(message.subject()).find() ? message.subject() : "Re: " + message.subject();
        List<String> references = new ArrayList<>(message.references());
        if (references.isEmpty()) {
            message.inReplyTo().ifPresent(references::add);
        }
        references.add(message.messageId());
        String name = message.from().name() == null || message.from().name().isBlank() ? ""
                : " " + message.from().name().strip();
        String text = "Hello" + name + ",\n\n" + body + "\n\n"
                + "-- \n"
                + "pv-lifecycle mail bridge (automatic reply; answers to it are not read)\n";
        return new Reply(message.from().address(), subject, replyId(message.messageId(), fromDomain),
                message.messageId(), references, text);
    }

    /** Joins two words that {@link #wrapped} keeps on one line: an example to copy, a request line. */
    static final char KEEP_TOGETHER = '\u00a0';

    /**
     * {@code text} in lines of at most {@value #WIDTH} characters, broken at spaces; a
     * {@link #KEEP_TOGETHER} is no place to break and becomes a plain space.
     */
    static String wrapped(String text) {
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (out.length() > lineStart && out.length() - lineStart + 1 + word.length() > WIDTH) {
                out.append('\n');
                lineStart = out.length();
            } else if (out.length() > lineStart) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString().replace(KEEP_TOGETHER, ' ');
    }

    /** {@code items} as a sentence lists them: "a", "a and b", "a, b and c". */
    static String listed(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static String replyId(String messageId, String domain) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(messageId.getBytes(StandardCharsets.UTF_8));
            return "pvl-reply." + HexFormat.of().formatHex(digest, 0, 12) + "@" + domain.toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
