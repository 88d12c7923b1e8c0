package org.pvlifecycle.mail.persistence;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.pvlifecycle.mail.domain.MailAction;

import java.time.Instant;

/**
 * One action of a received message as it is kept and shown: what to send, and how far it got.
 * {@code kind} is {@code ACK}, {@code RAISE}, {@code ANSWER}, {@code REAFFIRM} or {@code WITHDRAW};
 * {@code state} is {@code TODO}, {@code DONE} (with the review service's {@code result}: the ack or
 * objection id), {@code REFUSED} (with the {@code refusal}) or {@code UNDONE} (an ack taken back
 * because a later action of the same message was refused). {@code created} says whether an ack was
 * new (an ack that was live already is not this message's to take back); {@code attemptedAt}
 * is set while a send may have reached the review service without its answer reaching us.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageAction(
        String kind,
        String actor,
        String objection,
        String ackKind,
        String component,
        String category,
        String section,
        String rationale,
        String text,
        String state,
        String result,
        Boolean created,
        Instant attemptedAt,
        String refusal) {

    public static final String ACK = "ACK";
    public static final String RAISE = "RAISE";
    public static final String ANSWER = "ANSWER";
    public static final String REAFFIRM = "REAFFIRM";
    public static final String WITHDRAW = "WITHDRAW";

    public static final String TODO = "TODO";
    public static final String DONE = "DONE";
    public static final String REFUSED = "REFUSED";
    public static final String UNDONE = "UNDONE";

    public static MessageAction of(MailAction action) {
        if (action instanceof MailAction.GiveAck a) {
            return new MessageAction(ACK, a.actor(), null, a.kind().name(), a.component(), null, null, null, null, TODO,
                    null, null, null, null);
        }
        if (action instanceof MailAction.Raise r) {
            return new MessageAction(RAISE, r.actor(), null, null, null, r.category().name(), r.section(), r.rationale(),
                    null, TODO, null, null, null, null);
        }
        if (action instanceof MailAction.Answer a) {
            return step(ANSWER, a.actor(), a.objectionId(), a.text());
        }
        if (action instanceof MailAction.Reaffirm r) {
            return step(REAFFIRM, r.actor(), r.objectionId(), r.text());
        }
        MailAction.Withdraw w = (MailAction.Withdraw) action;
        return step(WITHDRAW, w.actor(), w.objectionId(), w.text());
    }

    private static MessageAction step(String kind, String actor, String objection, String text) {
        return new MessageAction(kind, actor, objection, null, null, null, null, null, text, TODO, null, null, null, null);
    }

    /** What this action is about, for {@code mail_steps}: the proposal (a raise), the objection, or the ack. */
    public String target(String proposal) {
        return switch (kind) {
            case RAISE -> proposal;
            case ACK -> proposal + "/" + ackKind + "/" + component;
            default -> objection;
        };
    }

    public boolean is(String wantedState) {
        return wantedState.equals(state);
    }

    public MessageAction attempted(Instant at) {
        return new MessageAction(kind, actor, objection, ackKind, component, category, section, rationale, text, state,
                result, created, at, refusal);
    }

    public MessageAction done(String newResult, Boolean isNew) {
        return new MessageAction(kind, actor, objection, ackKind, component, category, section, rationale, text, DONE,
                newResult, isNew, null, null);
    }

    public MessageAction refused(String why) {
        return new MessageAction(kind, actor, objection, ackKind, component, category, section, rationale, text, REFUSED,
                result, created, null, why);
    }

    public MessageAction undone() {
        return new MessageAction(kind, actor, objection, ackKind, component, category, section, rationale, text, UNDONE,
                result, created, null, refusal);
    }
}
