package org.pvlifecycle.notification;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.DeliveryChannel;
import org.pvlifecycle.events.DeliveryFailed;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.notification.domain.RetryPolicy;
import org.pvlifecycle.notification.domain.WebhookSignature;
import org.pvlifecycle.notification.persistence.NotificationRepository;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends due webhook deliveries, signed the Standard Webhooks way ({@code webhook-id} is the
 * delivery id, the same on every retry). Each claimed delivery is sent on its own, with a timeout,
 * so one slow or dead receiver holds up no other. A failure is retried with exponential backoff
 * and full jitter; after the last attempt the delivery is dead and {@code delivery-failed} goes out
 * through the outbox. Every attempt is recorded.
 */
@ApplicationScoped
public class WebhookSender {
    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    static final int BATCH = 50;

    @Inject
    NotificationRepository repository;

    @Inject
    EventStore store;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "pvl.webhooks.timeout", defaultValue = "PT10S")
    Duration timeout;

    @ConfigProperty(name = "pvl.webhooks.retry.base", defaultValue = "PT2S")
    Duration retryBase;

    @ConfigProperty(name = "pvl.webhooks.retry.cap", defaultValue = "PT10M")
    Duration retryCap;

    @ConfigProperty(name = "pvl.webhooks.retry.max-attempts", defaultValue = "8")
    int maxAttempts;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile boolean running;

    void onStart(@Observes StartupEvent event) {
        running = true;
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }


    @Scheduled(every = "${pvl.webhooks.poll-interval:250ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!running || !sending.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        Instant now = clock.instant();
        return repository.claim(now, now.plus(timeout.multipliedBy(3)), BATCH)
                .flatMap(this::sendAll)
                .onFailure().invoke(e -> LOG.warnf("webhook deliveries could not be sent this tick: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .eventually(() -> sending.set(false))
                .replaceWithVoid();
    }

    private Uni<Void> sendAll(List<NotificationRepository.Claimed> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Outcome>> sends = new ArrayList<>();
        for (NotificationRepository.Claimed c : claimed) {
            sends.add(send(c));
        }
        return Uni.join().all(sends).andFailFast()
                .flatMap(outcomes -> Panache.withTransaction(() -> record(outcomes, 0)));
    }

    record Outcome(NotificationRepository.Claimed delivery, Instant at, Integer status, String error, long latencyMs) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private Uni<Outcome> send(NotificationRepository.Claimed c) {
        Instant at = clock.instant();
        long seconds = at.getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(c.target()))
                    .timeout(timeout)
                    .header("content-type", "application/json")
                    .header("webhook-id", c.id())
                    .header("webhook-timestamp", String.valueOf(seconds))
                    .header("webhook-signature", WebhookSignature.sign(c.secret(), c.id(), seconds, c.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(c.body()))
                    .build();
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(new Outcome(c, at, null, "bad target: " + e.getMessage(), 0));
        }
        long started = System.nanoTime();
        // Back onto the scheduler's Vert.x context, where the results are recorded with Hibernate Reactive.
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(r -> new Outcome(c, at, r.statusCode(), r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode(),
                        elapsed(started)))
                .onFailure().recoverWithItem(e -> new Outcome(c, at, null, e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), elapsed(started)))
                .emitOn(context == null ? Runnable::run : task -> context.runOnContext(v -> task.run()));
    }

    private Uni<Void> record(List<Outcome> outcomes, int index) {
        if (index == outcomes.size()) {
            return Uni.createFrom().voidItem();
        }
        Outcome o = outcomes.get(index);
        RetryPolicy policy = new RetryPolicy(retryBase, retryCap, maxAttempts);
        int attempt = o.delivery().attempts() + 1;
        Timer.builder("pvl.webhook.latency").register(registry).record(o.latencyMs(), TimeUnit.MILLISECONDS);
        Uni<Void> step;
        if (o.delivered()) {
            registry.counter("pvl.webhook.deliveries", "outcome", "sent").increment();
            step = repository.recordAttempt(o.delivery().id(), attempt, o.at(), o.status(), null, o.latencyMs(),
                    "DELIVERED", null);
        } else if (policy.exhausted(attempt)) {
            registry.counter("pvl.webhook.deliveries", "outcome", "dead").increment();
            DeliveryFailed failed = new DeliveryFailed(o.delivery().proposalId(), o.delivery().subscriptionId(),
                    o.delivery().eventId().toString(), o.delivery().eventType(), DeliveryChannel.WEBHOOK,
                    o.delivery().target(), attempt, o.status(), o.error());
            step = repository.recordAttempt(o.delivery().id(), attempt, o.at(), o.status(), o.error(), o.latencyMs(),
                    "DEAD", null)
                    .flatMap(v -> store.fold(failed.proposalId(), 0, (n, e) -> n + 1))
                    .flatMap(folded -> store.append(failed.proposalId(), folded.version(), "notification-service",
                            List.of(failed)))
                    .replaceWithVoid();
        } else {
            registry.counter("pvl.webhook.deliveries", "outcome", "retried").increment();
            Instant next = clock.instant().plus(policy.delayAfter(attempt, () -> ThreadLocalRandom.current().nextDouble()));
            step = repository.recordAttempt(o.delivery().id(), attempt, o.at(), o.status(), o.error(), o.latencyMs(),
                    "PENDING", next);
        }
        return step.flatMap(v -> record(outcomes, index + 1));
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
