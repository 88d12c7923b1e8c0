package org.pvlifecycle.mail.domain;

import java.util.Locale;

/**
 * What a NACK is about: the categories of docs/rules.md's objections, and {@code OTHER} for a NACK
 * that names none or a word that is none (docs/mail.md).
 */
public enum NackCategory {
    ABI, XENSTORE_HANDSHAKE, PROTOCOL_SEMANTICS, SECURITY, COMPATIBILITY, PERFORMANCE, PORTABILITY,
    SPEC_CLARITY, IMPLEMENTATION, OTHER;

    /** The category a bracketed word names, case-insensitively, with spaces or dashes for underscores. */
    public static NackCategory ofWord(String word) {
        if (word == null || word.isBlank()) {
            return OTHER;
        }
        String name = word.strip().toUpperCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
        for (NackCategory c : values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return OTHER;
    }
}
