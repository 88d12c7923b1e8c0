package org.pvlifecycle.events;

import java.time.Instant;

/**
 * One reason a proposal is not eligible for its next stage (docs/rules.md): a machine {@code code}, a
 * sentence for people, and the one thing it names (the others are null).
 */
public record Blocker(
        String code,
        String message,
        String objectionId,
        String by,
        EvidenceKind evidenceKind,
        String component,
        String section,
        Instant until) {
}
