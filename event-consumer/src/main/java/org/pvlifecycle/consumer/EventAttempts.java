package org.pvlifecycle.consumer;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pvlifecycle.conventions.DependencyDown;
import org.pvlifecycle.eventstore.ConcurrencyConflict;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.UnreadableEventException;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One event through one consumer, attempt after attempt: each attempt claims the event in the
 * consumer's inbox and applies its effect in one transaction, and what follows a failed attempt
 * is decided here ({@link EventConsumer}'s class comment says what for each kind of failure): a
 * database away waits with growing pauses, a lost race is tried again without counting, anything
 * else uses one of {@code pvl.consumer.max-attempts}, and nothing is tried again once the service
 * is stopping. {@link EventConsumer} takes a batch's records this way one by one when the batch
 * cannot go as one transaction; {@link DeadLetters} re-drives a dead letter with one attempt.
 */
@ApplicationScoped
class EventAttempts {
    private static final Logger LOG = Logger.getLogger(EventAttempts.class);

    @Inject
    ConsumerConfig config;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Whether the service is stopping: what is not applied by now is left for redelivery. */
    boolean stopping() {
        return stopping;
    }

    /** The name {@code inbox}'s rows and dead letters carry in this service. */
    String nameOf(Inbox inbox) {
        return inbox.consumer(application);
    }

    /**
     * The inbox row and the effect in one transaction; true when this consumer had not applied
     * the event before. Each attempt runs in a fresh session on the caller's Vert.x context.
     */
    Uni<Boolean> apply(Inbox inbox, EventEnvelope<LifecycleEvent> event, int attempt) {
        return apply(inbox, event, attempt, 0);
    }

    private Uni<Boolean> apply(Inbox inbox, EventEnvelope<LifecycleEvent> event, int attempt, int racesLost) {
        boolean mayLoseAnother = racesLost < config.maxLostRaces();
        return attempt(inbox, event)
                .onFailure(failure -> !stopping && !(failure instanceof UnreadableEventException)
                        && (lostARace(failure) && mayLoseAnother || DependencyDown.is(failure)
                                || attempt < config.maxAttempts()))
                .recoverWithUni(failure -> {
                    if (lostARace(failure) && mayLoseAnother) {
                        // The effect's command met a request on the same aggregate that committed
                        // first: not a failure of the event's, and gone on the next attempt unless
                        // another request lands in between again. So it does not use the attempts
                        // up, which would dead-letter, say, a Czar's decision on a proposal its
                        // owner is busy revising.
                        LOG.debugf("%s: %s %s lost a race to another writer of %s; trying again", nameOf(inbox),
                                event.type().typeName(), event.id(), event.subject());
                        return pause(config.retryDelay()).flatMap(v -> apply(inbox, event, attempt, racesLost + 1));
                    }
                    boolean outage = DependencyDown.is(failure);
                    Duration pause = outage ? outagePause(attempt) : config.retryDelay().multipliedBy(attempt);
                    if (outage && attempt > 1) {
                        LOG.debugf("%s: the database is still away at %s %s (attempt %d)", nameOf(inbox),
                                event.type().typeName(), event.id(), attempt);
                    } else {
                        LOG.warnf("%s: attempt %d at %s %s failed (%s); trying again in %s", nameOf(inbox),
                                attempt, event.type().typeName(), event.id(), failure.getMessage(), pause);
                    }
                    return pause(pause).flatMap(v -> apply(inbox, event, attempt + 1, racesLost));
                });
    }

    /**
     * One attempt: the inbox row, the effect's locks for the event's proposal, and the effect, in
     * one transaction (as a batch takes them); true when it was applied now.
     */
    Uni<Boolean> attempt(Inbox inbox, EventEnvelope<LifecycleEvent> event) {
        return inTransaction(inbox, () -> claim(nameOf(inbox), event.id())
                .flatMap(first -> first
                        ? inbox.lockAhead().apply(List.of(event.subject()))
                                .flatMap(locked -> inbox.effects().apply(List.of(event)))
                                .flatMap(v -> inbox.finish().apply(List.of(event)))
                                .replaceWith(true)
                        : Uni.createFrom().item(false)))
                .invoke(applied -> {
                    if (applied) {
                        inbox.committed().run();
                    }
                });
    }

    /** {@code work} in the kind of transaction {@code inbox}'s effects need ({@link Inbox#entities}). */
    static <T> Uni<T> inTransaction(Inbox inbox, Supplier<Uni<T>> work) {
        return inbox.entities() ? SessionSql.inEntityTransaction(work) : SessionSql.inTransaction(work);
    }

    /** Whether {@code failure} is, or is caused by, an append that lost the race to its aggregate's version. */
    static boolean lostARace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConcurrencyConflict) {
                return true;
            }
        }
        return false;
    }

    /** Doubles from the retry delay up to the cap: quick after a blip, calm through an outage. */
    private Duration outagePause(int attempt) {
        Duration pause = config.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 10));
        return pause.compareTo(config.outageRetryCap()) > 0 ? config.outageRetryCap() : pause;
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
        return SessionSql.update("insert into inbox (consumer, event_id) values ($1, $2) on conflict do nothing",
                consumer, eventId).map(inserted -> inserted == 1);
    }
}
