package org.pvlifecycle.notification;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.DeliveryChannel;
import org.pvlifecycle.events.DeliveryFailed;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.eventstore.ConcurrencyConflict;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.notification.domain.RetryPolicy;
import org.pvlifecycle.notification.domain.Targets;
import org.pvlifecycle.notification.domain.WebhookSignature;
import org.pvlifecycle.notification.persistence.NotificationRepository;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends due deliveries: webhooks signed the Standard Webhooks way ({@code webhook-id} is the
 * delivery id, the same on every retry) and e-mails over SMTP. Due rows are claimed
 * {@code FOR UPDATE SKIP LOCKED} with a lease, so two replicas never send the same attempt; each
 * claimed delivery is then sent and recorded on its own (its own Vert.x context and transaction),
 * with a timeout, so one slow or dead receiver holds up no other. At most
 * {@code pvl.deliveries.max-in-flight} are in flight. A failure is retried with exponential
 * backoff and jitter; after the last attempt the delivery is dead and {@code delivery-failed}
 * goes out through the outbox.
 */
@ApplicationScoped
public class DeliveryWorker {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    @Inject
    NotificationRepository repository;

    @Inject
    EventStore store;

    @Inject
    ReactiveMailer mailer;

    @Inject
    Vertx vertx;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "pvl.deliveries.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "pvl.deliveries.timeout", defaultValue = "PT10S")
    Duration timeout;

    @ConfigProperty(name = "pvl.deliveries.retry.base", defaultValue = "PT2S")
    Duration retryBase;

    @ConfigProperty(name = "pvl.deliveries.retry.cap", defaultValue = "PT10M")
    Duration retryCap;

    @ConfigProperty(name = "pvl.deliveries.retry.max-attempts", defaultValue = "8")
    int maxAttempts;

    @ConfigProperty(name = "pvl.webhooks.allowed-hosts")
    Optional<Set<String>> allowedHosts;

    @ConfigProperty(name = "pvl.deliveries.max-in-flight", defaultValue = "64")
    volatile int maxInFlight;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean claimAgain = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running;

    void onStart(@Observes StartupEvent event) {
        running = enabled;
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }

    @Scheduled(every = "${pvl.deliveries.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        wake();
    }

    /** Changes how many deliveries may be in flight at once (0 holds new sends back); for the benchmark. */
    void limitInFlight(int limit) {
        maxInFlight = limit;
        wake();
    }

    /** Looks for due deliveries now (after new ones were planned, or a send finished). */
    public void wake() {
        if (!running) {
            return;
        }
        if (!claiming.compareAndSet(false, true)) {
            claimAgain.set(true);
            return;
        }
        freshContext().runOnContext(v -> claim());
    }

    private void claim() {
        int free = Math.min(maxInFlight - inFlight.get(), 100);
        if (free <= 0) {
            claimed(false);
            return;
        }
        Instant now = clock.instant();
        Uni.createFrom().deferred(() -> repository.claim(now, now.plus(timeout.multipliedBy(3)), free))
                .subscribe().with(deliveries -> {
            deliveries.forEach(this::dispatch);
            claimed(deliveries.size() == free);
        }, failure -> {
            LOG.warnf("due deliveries could not be claimed: %s", failure.getMessage());
            claimed(false);
        });
    }

    private void claimed(boolean mayBeMore) {
        claiming.set(false);
        if (claimAgain.getAndSet(false) || mayBeMore) {
            wake();
        }
    }

    private void dispatch(NotificationRepository.Claimed delivery) {
        inFlight.incrementAndGet();
        Context context = freshContext();
        context.runOnContext(v -> Uni.createFrom().deferred(() -> attempt(delivery, context))
                .onFailure().invoke(e -> LOG.warnf("delivery %s: the attempt could not be recorded: %s", delivery.id(),
                        e.getMessage()))
                .onFailure().recoverWithNull()
                .subscribe().with(done -> {
                    inFlight.decrementAndGet();
                    wake();
                }));
    }

    /** A context of its own per claim and per delivery: Hibernate Reactive keeps one session per context. */
    private Context freshContext() {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return context;
    }

    /** {@code fatal}: no retry can help (the target is refused now), so the delivery dies at once. */
    record Outcome(NotificationRepository.Claimed delivery, Instant at, Integer status, String error, long latencyMs,
            boolean fatal) {
        boolean delivered() {
            return error == null;
        }
    }

    /** The webhook's target no longer passes the checks a subscription passed. */
    static final class RefusedTarget extends RuntimeException {
        RefusedTarget(String why) {
            super(why, null, false, false);
        }
    }

    private Uni<Void> attempt(NotificationRepository.Claimed delivery, Context context) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        Uni<Integer> sent = "EMAIL".equals(delivery.channel()) ? email(delivery) : webhook(delivery, at);
        return sent.ifNoItem().after(timeout.plusSeconds(1)).fail()
                .map(status -> new Outcome(delivery, at, status, status != null && status / 100 != 2 ? "HTTP " + status
                        : null, elapsed(started), false))
                .onFailure().recoverWithItem(e -> new Outcome(delivery, at, null, e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), elapsed(started), e instanceof RefusedTarget))
                // Back onto this delivery's own context, where the outcome is recorded with Hibernate Reactive.
                .emitOn(task -> context.runOnContext(v -> task.run()))
                // Two deliveries of one proposal dying at once race to append delivery-failed to the
                // same stream: the loser records its outcome again in a fresh transaction.
                .flatMap(outcome -> Uni.createFrom().deferred(() -> Panache.withTransaction(() -> record(outcome)))
                        .onFailure(ConcurrencyConflict.class).retry().atMost(3));
    }

    /**
     * Checks the target again before each attempt, as the subscription was checked: its host may
     * resolve elsewhere by now (a link-local or metadata address), or the operator may have
     * narrowed the allowed hosts since. Resolving blocks, so it runs on a worker thread.
     */
    private Uni<Integer> webhook(NotificationRepository.Claimed c, Instant at) {
        return Uni.createFrom().item(() -> Targets.refusal("WEBHOOK", c.target(), allowedHosts.orElse(Set.of()),
                        HostLookup::addressesOf))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(refusal -> refusal != null ? Uni.createFrom().failure(new RefusedTarget(refusal)) : post(c, at));
    }

    private Uni<Integer> post(NotificationRepository.Claimed c, Instant at) {
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
            return Uni.createFrom().failure(new IllegalArgumentException("bad target: " + e.getMessage()));
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(HttpResponse::statusCode);
    }

    /** An e-mail delivery's body holds the rendered message; SMTP answers no status code worth keeping. */
    private Uni<Integer> email(NotificationRepository.Claimed c) {
        JsonNode message = EventJson.tree(c.body());
        Mail mail = Mail.withText(c.target(), message.path("subject").asText(), message.path("text").asText())
                .setHtml(message.path("html").asText());
        mail.addHeader("Message-ID", "<" + c.id() + "@pv-lifecycle>");
        return mailer.send(mail).replaceWith((Integer) null);
    }

    private Uni<Void> record(Outcome o) {
        RetryPolicy policy = new RetryPolicy(retryBase, retryCap, maxAttempts);
        NotificationRepository.Claimed d = o.delivery();
        int attempt = d.attempts() + 1;
        String channel = d.channel();
        Timer.builder("pvl.delivery.latency").tag("channel", channel).register(registry)
                .record(o.latencyMs(), TimeUnit.MILLISECONDS);
        if (o.delivered()) {
            registry.counter("pvl.deliveries", "channel", channel, "outcome", "sent").increment();
            return repository.recordAttempt(d.id(), attempt, o.at(), o.status(), null, o.latencyMs(), "DELIVERED", null);
        }
        if (policy.exhausted(attempt) || o.fatal()) {
            registry.counter("pvl.deliveries", "channel", channel, "outcome", "dead").increment();
            DeliveryFailed failed = new DeliveryFailed(d.proposalId(), d.subscriptionId(), d.eventId().toString(),
                    d.eventType(), DeliveryChannel.valueOf(channel), d.target(), attempt, o.status(), o.error());
            return repository.recordAttempt(d.id(), attempt, o.at(), o.status(), o.error(), o.latencyMs(), "DEAD", null)
                    .flatMap(v -> store.fold(failed.proposalId(), 0, (n, e) -> n + 1))
                    .flatMap(folded -> store.append(failed.proposalId(), folded.version(), "notification-service",
                            List.of(failed)))
                    .replaceWithVoid();
        }
        registry.counter("pvl.deliveries", "channel", channel, "outcome", "retried").increment();
        Duration delay = policy.delayAfter(attempt, () -> ThreadLocalRandom.current().nextDouble());
        // The delay counts from the end of the attempt.
        Instant next = o.at().plusMillis(o.latencyMs()).plus(delay);
        return repository.recordAttempt(d.id(), attempt, o.at(), o.status(), o.error(), o.latencyMs(), "PENDING", next)
                // Look again when it falls due rather than at the next poll; the poll still covers a restart.
                .invoke(() -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> wake()));
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
