package org.pvlifecycle.eventstore;

/**
 * How {@link EventStore#execute} runs a command: how many times in all it is decided when it keeps
 * losing the race to append, and whether it counts in {@code pvl_commands_total}.
 */
public record Execution(int attempts, boolean counted) {

    /**
     * A command someone asked for: decided again on fresh state after a lost race (safe when the
     * rules are checked again, as every decider does), and counted.
     */
    public static Execution request(int attempts) {
        return new Execution(attempts, true);
    }

    /**
     * A command an incoming event causes, inside the consumer's transaction: decided once, since
     * the consumer decides what a failure means for the message; not counted, as nobody asked.
     */
    public static final Execution FROM_EVENT = new Execution(1, false);

    public Execution {
        if (attempts < 1) {
            throw new IllegalArgumentException("a command is decided at least once, not " + attempts + " times");
        }
    }
}
