package org.pvlifecycle.events.decider;

import java.util.Map;

/**
 * A command a domain's rules refuse, and which rule. Every service's refusals have this one shape,
 * so one mapping turns them into problems (no such thing 404, a field at fault 422, a rule 409)
 * and one metric counts them ({@code pvl_commands_total{reason}} is the reason's name).
 */
public abstract class CommandRefusal extends RuntimeException {

    /** How a client should read a refusal. */
    public enum Kind {
        /** What the command is about does not exist. */
        NOT_FOUND,
        /** A field of the command breaks a rule; {@link #field()} names it. */
        INVALID,
        /** The command is well formed but the rules say no in the current state. */
        RULE
    }

    /** A domain's reasons, each an enum constant that says its kind, problem type and title. */
    public interface Reason {
        String name();

        Kind kind();

        /** The problem type's slug, e.g. {@code proposal-closed}. */
        String type();

        /** The problem's short title, e.g. {@code Proposal closed}. */
        String title();
    }

    private final String field;

    protected CommandRefusal(String field, String message) {
        super(message);
        this.field = field;
    }

    public abstract Reason reason();

    /** The command field at fault, for {@link Kind#INVALID}; else {@code null}. */
    public String field() {
        return field;
    }

    /** What a client needs beside the message to act on the refusal (e.g. the blockers). */
    public Map<String, Object> details() {
        return Map.of();
    }
}
