package org.pvlifecycle.eventstore;

import io.smallrye.mutiny.Uni;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;

import java.util.function.Function;

/**
 * One consumer of one topic: the name its inbox rows carry (each consumer applies each event
 * once), the topic it reads, and what an event does to this service's state. The live
 * {@code @Incoming} method and a re-drive of a dead letter both go through it.
 *
 * @param effect runs inside the transaction that writes the inbox row
 */
public record Inbox(String consumer, String topic, Function<EventEnvelope<LifecycleEvent>, Uni<Void>> effect) {
}
