package org.pvlifecycle.mail.domain;

import org.pvlifecycle.events.ObjectionCategory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The reply to the sender of a NACK rejected as not a specific technical objection (docs/mail.md,
 * "Replies to senders"): to the sender alone, not the list, in the NACK's thread, saying what the
 * process asks of an objection and how to raise one. Its own Message-ID is derived from the
 * NACK's, so a reply sent twice (a crash after the server took it, before it was recorded as sent)
 * is recognisably the same message to the recipient's mail client.
 */
public record NackReply(String to, String subject, String messageId, String inReplyTo, List<String> references,
        String text) {
    private static final Pattern RE = Pattern.compile("^(?i)re:\\s*");

    public NackReply {
        references = List.copyOf(references);
    }

    /**
     * The reply to {@code nack}, from {@code fromDomain}; {@code reason} is the rejection's reason
     * (which NACK, how many characters it gave).
     */
    public static NackReply to(MailMessage nack, String reason, String proposal, String fromDomain) {
        String subject = RE.matcher(nack.subject()).find() ? nack.subject() : "Re: " + nack.subject();
        List<String> references = new ArrayList<>(nack.references());
        if (references.isEmpty()) {
            nack.inReplyTo().ifPresent(references::add);
        }
        references.add(nack.messageId());
        String name = nack.from().name() == null || nack.from().name().isBlank() ? "" : " " + nack.from().name().strip();
        String text = """
                Hello%s,

                %s.

                The PV drivers lifecycle counts an objection only when it is specific and
                technical: it says what is wrong with the proposal and why, in your own
                words (not in quoted lines), in at least %d characters. A NACK that only
                says no holds nothing back.

                To raise one, reply in the proposal's thread on the list with a line
                starting NACK, optionally with the kind of problem in brackets, followed
                by your reason, below the part of the patch it is about:

                  > +    uint32_t flags;  /* PVCALLS_FLAG_* */
                  NACK [ABI]: the new field moves the union by four bytes, so a version 1
                  backend reads every command's arguments at the wrong offset.

                %s

                Nothing of your message was applied; send a new one to object.

                -- 
                pv-lifecycle mail bridge (an automatic reply; answers to it are not read)
                """.formatted(name, wrapped("your message <" + nack.messageId() + "> was not taken as an objection to proposal "
                        + proposal + ": " + reason), MessageDecision.MIN_RATIONALE,
                        wrapped("The kinds are " + categories() + " (OTHER when none is given). An objection can also"
                                + " be raised through the REST API (POST /proposals/" + proposal + "/objections)."));
        return new NackReply(nack.from().address(), subject, replyId(nack.messageId(), fromDomain), nack.messageId(),
                references, text);
    }

    /** {@code text} in lines of at most 72 characters, broken at spaces, as plain-text mail reads best. */
    static String wrapped(String text) {
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (out.length() > lineStart && out.length() - lineStart + 1 + word.length() > 72) {
                out.append('\n');
                lineStart = out.length();
            } else if (out.length() > lineStart) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }

    private static String categories() {
        return Arrays.stream(ObjectionCategory.values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    private static String replyId(String nackId, String domain) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(nackId.getBytes(StandardCharsets.UTF_8));
            return "pvl-reply." + HexFormat.of().formatHex(digest, 0, 12) + "@" + domain.toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
