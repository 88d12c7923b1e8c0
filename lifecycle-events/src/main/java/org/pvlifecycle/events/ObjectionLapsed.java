package org.pvlifecycle.events;

import java.time.Instant;

/** {@code pv.consensus.objection-lapsed.v1}: the author stayed silent past {@code respondBy}. */
public record ObjectionLapsed(
        String proposalId,
        String objectionId,
        Instant respondBy) implements LifecycleEvent {
}
