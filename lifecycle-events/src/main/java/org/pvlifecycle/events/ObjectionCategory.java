package org.pvlifecycle.events;

/** What a specific technical objection is about (docs/rules.md). */
public enum ObjectionCategory {
    ABI, XENSTORE_HANDSHAKE, PROTOCOL_SEMANTICS, SECURITY, COMPATIBILITY, PERFORMANCE, PORTABILITY,
    SPEC_CLARITY, IMPLEMENTATION
}
