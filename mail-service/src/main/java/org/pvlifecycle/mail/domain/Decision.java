package org.pvlifecycle.mail.domain;

import java.util.List;
import java.util.Optional;

/**
 * What a message does ({@link MessageDecision}): the proposal it belongs to, if any, and either the
 * actions to apply ({@link Verdict#ACT}, with notes on what in it did not count, if anything) or
 * why nothing is applied: {@link Verdict#IGNORE} when nothing in it asks for an action,
 * {@link Verdict#REJECT} when it asks for one the process refuses (a NACK without a specific reason).
 */
public record Decision(Optional<String> proposal, Verdict verdict, Optional<String> reason, List<MailAction> actions) {

    public enum Verdict { ACT, IGNORE, REJECT }

    public Decision {
        actions = List.copyOf(actions);
    }

    static Decision act(String proposal, List<MailAction> actions, Optional<String> notes) {
        return new Decision(Optional.of(proposal), Verdict.ACT, notes, actions);
    }

    static Decision ignore(Optional<String> proposal, String reason) {
        return new Decision(proposal, Verdict.IGNORE, Optional.of(reason), List.of());
    }

    static Decision reject(String proposal, String reason) {
        return new Decision(Optional.of(proposal), Verdict.REJECT, Optional.of(reason), List.of());
    }
}
