package org.pvlifecycle.consumer;

import jakarta.inject.Inject;
import org.pvlifecycle.conventions.DependencyDown;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.UnreadableEventException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * The consuming half of the event store, for {@code @Incoming} handlers. It reads the message,
 * applies the effect once per consumer (the inbox row and the effect share one transaction) and
 * acknowledges only once that transaction has committed.
 * <ul>
 * <li>A message it cannot read is nacked with the reason, which the channel's
 * {@code dead-letter-queue} failure strategy puts on {@code <topic>.dlq}, and the consumer goes on.
 * <li>An effect that fails because PostgreSQL is away (see {@link DependencyDown}) is tried again,
 * with a growing pause, until the database answers: the message is neither acknowledged nor
 * dead-lettered meanwhile, and the partition waits behind it, keeping each proposal's order.
 * <li>An effect that fails for another reason is tried a few times, then dead-lettered with its
 * reason; {@code GET /admin/dead-letters} lists it and can re-drive it.
 * <li>A message caught by the service's shutdown is left unacknowledged, for redelivery.
 * </ul>
 * Every dead letter carries the {@value #CONSUMER_HEADER} header, so each service finds its own
 * among the others' on the shared {@code <topic>.dlq}.
 */
@ApplicationScoped
public class EventConsumer {

    @Inject
    ConsumerConfig config;
    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    public static final String CONSUMER_HEADER = "pvl-consumer";

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }




    @ConfigProperty(name = "quarkus.application.name")
    String application;

    /** This service's name, which its inbox names start with. */
    public String application() {
        return application;
    }

    /** The name {@code inbox}'s rows and dead letters carry here. */
    public String nameOf(Inbox inbox) {
        return inbox.consumer(application);
    }

    /** Applies the message through {@code inbox}; acknowledges, dead-letters or leaves it as above. */
    public Uni<Void> handle(Inbox inbox, Message<?> message) {
        String consumer = nameOf(inbox);
        EventEnvelope<LifecycleEvent> event;
        try {
            event = CloudEventReader.read(message);
        } catch (UnreadableEventException e) {
            LOG.warnf("%s cannot read a message, sending it to the dead-letter topic: %s", consumer, e.getMessage());
            return deadLetter(consumer, message, e);
        }
        return apply(inbox, event, 1)
                .onItemOrFailure().transformToUni((applied, failure) -> {
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
                    return deadLetter(consumer, message, failure);
                });
    }

    /**
     * The inbox row and the effect in one transaction; true when this consumer had not applied
     * the event before. Each attempt runs in a fresh session on the caller's Vert.x context.
     */
    private Uni<Boolean> apply(Inbox inbox, EventEnvelope<LifecycleEvent> event, int attempt) {
        return attempt(inbox, event)
                .onFailure(failure -> !stopping && !(failure instanceof UnreadableEventException)
                        && (DependencyDown.is(failure) || attempt < config.maxAttempts()))
                .recoverWithUni(failure -> {
                    boolean outage = DependencyDown.is(failure);
                    Duration pause = outage ? outagePause(attempt) : config.retryDelay().multipliedBy(attempt);
                    if (outage && attempt > 1) {
                        LOG.debugf("%s: the database is still away at %s %s (attempt %d)", nameOf(inbox),
                                event.type().typeName(), event.id(), attempt);
                    } else {
                        LOG.warnf("%s: attempt %d at %s %s failed (%s); trying again in %s", nameOf(inbox),
                                attempt, event.type().typeName(), event.id(), failure.getMessage(), pause);
                    }
                    return pause(pause).flatMap(v -> apply(inbox, event, attempt + 1));
                });
    }

    /** One attempt: the inbox row and the effect in one transaction; true when it was applied now. */
    Uni<Boolean> attempt(Inbox inbox, EventEnvelope<LifecycleEvent> event) {
        return Panache.withTransaction(() -> claim(nameOf(inbox), event.id())
                .flatMap(first -> first ? inbox.effect().apply(event).replaceWith(true) : Uni.createFrom().item(false)));
    }

    /** Doubles from the retry delay up to the cap: quick after a blip, calm through an outage. */
    private Duration outagePause(int attempt) {
        Duration pause = config.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 10));
        return pause.compareTo(config.outageRetryCap()) > 0 ? config.outageRetryCap() : pause;
    }

    private static Uni<Void> deadLetter(String consumer, Message<?> message, Throwable reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CONSUMER_HEADER, consumer.getBytes(StandardCharsets.UTF_8));
        Metadata metadata = Metadata.of(OutgoingKafkaRecordMetadata.builder().withHeaders(headers).build());
        return Uni.createFrom().completionStage(message.nack(reason, metadata));
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
