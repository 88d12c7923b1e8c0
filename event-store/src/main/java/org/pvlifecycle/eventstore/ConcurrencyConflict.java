package org.pvlifecycle.eventstore;

/**
 * Someone else appended to the aggregate since the caller loaded it: the command was decided on
 * stale state. REST answers 409; a command that is safe to decide again may retry.
 */
public class ConcurrencyConflict extends RuntimeException {
    private final String aggregateId;
    private final long expectedVersion;

    public ConcurrencyConflict(String aggregateId, long expectedVersion, Throwable cause) {
        super("aggregate " + aggregateId + " is no longer at version " + expectedVersion, cause);
        this.aggregateId = aggregateId;
        this.expectedVersion = expectedVersion;
    }

    public String aggregateId() {
        return aggregateId;
    }

    public long expectedVersion() {
        return expectedVersion;
    }
}
