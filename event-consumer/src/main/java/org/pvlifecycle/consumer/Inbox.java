package org.pvlifecycle.consumer;

import io.smallrye.mutiny.Uni;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;

import java.util.function.Function;

/**
 * One consumer of one topic: the channel it reads through, the topic, and what an event does to
 * this service's state. Its inbox rows (each consumer applies each event once) and its dead
 * letters carry the name {@code <quarkus.application.name>.<channel>}, which is also the channel's
 * consumer group by convention. The live {@code @Incoming} method and a re-drive of a dead letter
 * both go through it.
 *
 * @param effect runs inside the transaction that writes the inbox row
 */
public record Inbox(String channel, String topic, Function<EventEnvelope<LifecycleEvent>, Uni<Void>> effect) {

    /** The name this inbox's rows and dead letters carry in {@code application}. */
    public String consumer(String application) {
        return application + "." + channel;
    }

    /**
     * Whether {@code name} is what this inbox was called before names were derived: the
     * application's name cut short ({@code projection.proposal-events} in {@code projection-service}).
     * Dead letters written then still carry it.
     */
    boolean formerlyNamed(String name, String application) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && name.substring(dot + 1).equals(channel) && application.startsWith(name.substring(0, dot));
    }
}
