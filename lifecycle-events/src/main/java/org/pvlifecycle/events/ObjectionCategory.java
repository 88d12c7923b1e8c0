package org.pvlifecycle.events;

/**
 * What a specific technical objection is about (docs/rules.md). {@code OTHER} is for an objection
 * that names none of the others, as a NACK on the list without a bracketed category
 * (docs/mail.md); it is last, so that the order of the others does not move.
 */
public enum ObjectionCategory {
    ABI, XENSTORE_HANDSHAKE, PROTOCOL_SEMANTICS, SECURITY, COMPATIBILITY, PERFORMANCE, PORTABILITY,
    SPEC_CLARITY, IMPLEMENTATION, OTHER
}
