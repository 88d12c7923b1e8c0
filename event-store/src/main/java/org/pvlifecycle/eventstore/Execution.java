package org.pvlifecycle.eventstore;

/**
 * How {@link EventStore#execute} runs a command: how many times in all it is decided when it keeps
 * losing the race to append, whether it counts in {@code pvl_commands_total}, and whether it waits
 * for this instance's other commands on the same aggregate (see {@link CommandQueues}).
 */
public record Execution(int attempts, boolean counted, boolean queued) {

    /**
     * A command someone asked for: decided again on fresh state after a lost race (safe when the
     * rules are checked again, as every decider does), counted, and queued behind the instance's
     * other requests on the aggregate rather than racing them.
     */
    public static Execution request(int attempts) {
        return new Execution(attempts, true, true);
    }

    /**
     * A command an incoming event causes, inside the consumer's transaction: decided once, since
     * the consumer decides what a failure means for the message; not counted, as nobody asked; and
     * not queued, since it must run in the consumer's transaction, not in one of its own.
     */
    public static final Execution FROM_EVENT = new Execution(1, false, false);

    public Execution {
        if (attempts < 1) {
            throw new IllegalArgumentException("a command is decided at least once, not " + attempts + " times");
        }
    }
}
