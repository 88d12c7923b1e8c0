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

    /** A domain's reasons: enum constants, each with the rule it reads as. */
    public interface Reason {
        String name();

        Rule rule();
    }

    /**
     * How a reason reads: its kind, the problem type's slug ({@code proposal-closed}) and title
     * ({@code Proposal closed}).
     */
    public record Rule(Kind kind, String type, String title) {
        public static final Rule NOT_FOUND = new Rule(Kind.NOT_FOUND, "not-found", "Not found");
        public static final Rule INVALID_REQUEST = new Rule(Kind.INVALID, "invalid-request", "Invalid request");

        /** A rule of the process that says no in the current state (409). */
        public static Rule byRule(String type, String title) {
            return new Rule(Kind.RULE, type, title);
        }
    }

    private final Reason reason;
    private final String field;

    protected CommandRefusal(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    /** The command field at fault, for {@link Kind#INVALID}; else {@code null}. */
    public String field() {
        return field;
    }

    /** What a client needs beside the message to act on the refusal (e.g. the blockers). */
    public Map<String, Object> details() {
        return Map.of();
    }
}
