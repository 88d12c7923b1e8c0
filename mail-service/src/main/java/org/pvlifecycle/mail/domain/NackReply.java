package org.pvlifecycle.mail.domain;

import org.pvlifecycle.events.ObjectionCategory;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.pvlifecycle.mail.domain.Reply.wrapped;

/**
 * The reply to the sender of a NACK rejected as not a specific technical objection (docs/mail.md,
 * "Replies to senders"): what the process asks of an objection and how to raise one. Nothing of
 * the message was applied, so it also names the message's scoped trailers that would give no ack
 * ({@link ScopedAckReply}): the sender's next message should get both right.
 */
public final class NackReply {
    private NackReply() {
    }

    /**
     * The reply to {@code nack}, from {@code fromDomain}; {@code reason} is the rejection's reason
     * (which NACK, how many characters it gave); {@code uncounted}, the message's scoped trailers
     * that named none of the sender's components on {@code proposal} (usually none).
     */
    public static Reply to(MailMessage nack, String reason, String proposal, List<Decision.UncountedAck> uncounted,
            String fromDomain) {
        String objection = """
                %s.

                The PV drivers lifecycle counts an objection only if it is specific and
                technical: it says what is wrong with the proposal and why, in your own
                words (not in quoted lines), in at least %d characters. A NACK that only
                says no holds nothing back.

                To raise one, reply in the proposal's thread on the list with a line
                starting NACK, optionally with the kind of problem in brackets, followed
                by your reason, below the part of the patch it is about:

                  > +    uint32_t flags;  /* PVCALLS_FLAG_* */
                  NACK [ABI]: the new field moves the union by four bytes, so a v1
                  backend reads every command's arguments at the wrong offset.

                %s""".formatted(wrapped("your message <" + nack.messageId() + "> was not taken as an objection to proposal "
                        + proposal + ": " + reason), MessageDecision.MIN_RATIONALE,
                        wrapped("The kinds are " + categories() + " (OTHER when none is given). An objection can also"
                                + " be raised through the REST API (POST /proposals/" + proposal + "/objections)."));
        String trailers = uncounted.isEmpty() ? "" : "\n\n" + ScopedAckReply.explanation("Your message also", proposal, uncounted);
        return Reply.answering(nack, objection + trailers + "\n\nNothing of your message was applied; send a new one to object.",
                fromDomain);
    }

    private static String categories() {
        return Arrays.stream(ObjectionCategory.values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
