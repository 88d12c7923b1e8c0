package org.pvlifecycle.events;

/**
 * A message that cannot be read as one of our events: not a CloudEvent, an unknown type, or a
 * payload that breaks its schema. Consumers send such a message to the dead-letter topic with
 * this exception's message as the reason, and go on.
 */
public class UnreadableEventException extends RuntimeException {
    public UnreadableEventException(String message) {
        super(message);
    }

    public UnreadableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
