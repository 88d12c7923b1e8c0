package org.pvlifecycle.mail.domain;

/**
 * A message the bridge cannot take at all, because a header it needs to name the message or its
 * sender is missing or unreadable (docs/mail.md: such a message is refused naming the header).
 */
public class InvalidHeaderException extends RuntimeException {
    private final String header;

    public InvalidHeaderException(String header, String problem) {
        super(header + ": " + problem);
        this.header = header;
    }

    /** The header's name as RFC 5322 spells it: {@code Message-ID} or {@code From}. */
    public String header() {
        return header;
    }
}
