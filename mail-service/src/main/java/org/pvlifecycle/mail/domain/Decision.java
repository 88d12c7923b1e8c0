package org.pvlifecycle.mail.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a message does ({@link MessageDecision}): the proposal it belongs to, if any, and either the
 * actions to apply ({@link Verdict#ACT}, with notes on what in it did not count, if anything) or
 * why nothing is applied: {@link Verdict#IGNORE} when nothing in it asks for an action,
 * {@link Verdict#REJECT} when it asks for one the process refuses (a NACK without a specific reason).
 * {@code uncountedAcks} are the sender's scoped trailers that gave no ack although an ack of theirs
 * is missing, which their sender is told of ({@link Reply#owed}).
 */
public record Decision(Optional<String> proposal, Verdict verdict, Optional<String> reason, List<MailAction> actions,
        List<UncountedAck> uncountedAcks) {

    public enum Verdict { ACT, IGNORE, REJECT }

    /**
     * A trailer of the sender's whose scope named none of the components they maintain on the
     * proposal ({@code maintained}, in the proposal's order), so it gave no ack; {@code titles}: the
     * MAINTAINERS titles of those the policy describes with one, by id.
     */
    public record UncountedAck(Statements.Ack ack, List<String> maintained, Map<String, String> titles) {
        public UncountedAck {
            maintained = List.copyOf(maintained);
            titles = Map.copyOf(titles);
        }
    }

    public Decision {
        actions = List.copyOf(actions);
        uncountedAcks = List.copyOf(uncountedAcks);
    }

    static Decision act(String proposal, List<MailAction> actions, Optional<String> notes, List<UncountedAck> uncounted) {
        return new Decision(Optional.of(proposal), Verdict.ACT, notes, actions, uncounted);
    }

    static Decision ignore(Optional<String> proposal, String reason) {
        return ignore(proposal, reason, List.of());
    }

    static Decision ignore(Optional<String> proposal, String reason, List<UncountedAck> uncounted) {
        return new Decision(proposal, Verdict.IGNORE, Optional.of(reason), List.of(), uncounted);
    }

    static Decision reject(String proposal, String reason, List<UncountedAck> uncounted) {
        return new Decision(Optional.of(proposal), Verdict.REJECT, Optional.of(reason), List.of(), uncounted);
    }
}
