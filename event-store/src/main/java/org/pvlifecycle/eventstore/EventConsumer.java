package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.UnreadableEventException;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

/**
 * The consuming half of the event store, for {@code @Incoming} handlers. It reads the message,
 * applies the effect once per consumer (the inbox row and the effect share one transaction) and
 * acknowledges; a message it cannot read is nacked with the reason, which the channel's
 * {@code dead-letter-queue} failure strategy puts on {@code <topic>.dlq}, and the consumer goes on.
 * One whose effect keeps failing is dead-lettered too, with its reason, after a few attempts;
 * one caught by the service's shutdown is left unacknowledged, for redelivery.
 */
@ApplicationScoped
public class EventConsumer {
    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @ConfigProperty(name = "pvl.consumer.max-attempts", defaultValue = "3")
    int maxAttempts;

    @ConfigProperty(name = "pvl.consumer.retry-delay", defaultValue = "PT0.5S")
    Duration retryDelay;

    /**
     * @param consumer the inbox name of this handler: each consumer sees each event once
     * @param effect   what the event does to this service's state; runs inside the transaction
     */
    public Uni<Void> handle(String consumer, Message<?> message,
            Function<EventEnvelope<LifecycleEvent>, Uni<Void>> effect) {
        EventEnvelope<LifecycleEvent> event;
        try {
            event = CloudEventReader.read(message);
        } catch (UnreadableEventException e) {
            LOG.warnf("%s cannot read a message, sending it to the dead-letter topic: %s", consumer, e.getMessage());
            return Uni.createFrom().completionStage(message.nack(e));
        }
        return applyOnce(consumer, event, effect, 1)
                .onItemOrFailure().transformToUni((done, failure) -> {
                    if (failure == null) {
                        return Uni.createFrom().completionStage(message.ack());
                    }
                    if (stopping) {
                        // The pools are closing under us: leave the message unacknowledged, so the
                        // next instance gets it again instead of the dead-letter topic keeping it.
                        LOG.infof("%s: %s %s left for redelivery after the shutdown", consumer,
                                event.type().typeName(), event.id());
                        return Uni.createFrom().voidItem();
                    }
                    LOG.errorf(failure, "%s failed to apply %s %s", consumer, event.type().typeName(), event.id());
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }

    /**
     * The inbox row and the effect in one transaction. A failure (the database away, a lost
     * race) is tried again, each time in a fresh session and on the same Vert.x context, before
     * the message is given up to the dead-letter topic.
     */
    private Uni<Void> applyOnce(String consumer, EventEnvelope<LifecycleEvent> event,
            Function<EventEnvelope<LifecycleEvent>, Uni<Void>> effect, int attempt) {
        return Panache.withTransaction(() -> claim(consumer, event.id())
                        .flatMap(first -> first ? effect.apply(event) : Uni.createFrom().voidItem()))
                .onFailure(failure -> attempt < maxAttempts && !stopping && !(failure instanceof UnreadableEventException))
                .recoverWithUni(failure -> {
                    LOG.warnf("%s: attempt %d at %s %s failed (%s); trying again", consumer, attempt,
                            event.type().typeName(), event.id(), failure.getMessage());
                    return pause(retryDelay.multipliedBy(attempt)).flatMap(v -> applyOnce(consumer, event, effect, attempt + 1));
                });
    }

    /** Waits without blocking and resumes on the caller's Vert.x context. */
    private static Uni<Void> pause(Duration delay) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(delay);
        }
        return Uni.createFrom().emitter(emitter -> context.owner().setTimer(Math.max(1, delay.toMillis()),
                id -> context.runOnContext(v -> emitter.complete(null))));
    }

    /** True the first time this consumer sees this event id; the row commits with the effect. */
    private static Uni<Boolean> claim(String consumer, UUID eventId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "insert into inbox (consumer, event_id) values (:consumer, :eventId) on conflict do nothing")
                .setParameter("consumer", consumer)
                .setParameter("eventId", eventId)
                .executeUpdate()
                .map(inserted -> inserted == 1));
    }
}
