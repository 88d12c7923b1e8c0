package org.pvlifecycle.notification.delivery;

import org.pvlifecycle.eventstore.SessionSql;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.pvlifecycle.conventions.BackgroundLoop;
import org.pvlifecycle.events.DeliveryChannel;
import org.pvlifecycle.events.DeliveryFailed;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.eventstore.ConcurrencyConflict;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.notification.domain.ListThread;
import org.pvlifecycle.notification.domain.RetryPolicy;
import org.pvlifecycle.notification.domain.Targets;
import org.pvlifecycle.notification.persistence.ListRepository;
import org.pvlifecycle.notification.persistence.NotificationRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Sends due deliveries through the {@link Sender} of their channel. Due rows are claimed
 * {@code FOR UPDATE SKIP LOCKED} with a lease, so two replicas never send the same attempt; each
 * claimed delivery is then sent and recorded on its own (its own Vert.x context and transaction),
 * with a timeout, so one slow or dead receiver holds up no other. At most
 * {@code pvl.deliveries.max-in-flight} are in flight. A failure is retried with exponential
 * backoff and jitter; after the last attempt the delivery is dead and {@code delivery-failed}
 * goes out through the outbox. A dead delivery retried by hand ({@code POST /deliveries/{id}/retry})
 * is pending again with a new series of attempts, and dies (and says so) again after its last.
 *
 * <p>The mailing list ({@code LIST}) is claimed by proposal instead ({@link ListRepository#claim}):
 * one message carries every pending notice of a proposal, and goes at most once per
 * {@code pvl.list.min-interval}; each notice it carries is recorded as an attempt of its own.
 */
@ApplicationScoped
public class DeliveryWorker {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    @Inject
    NotificationRepository repository;

    @Inject
    EventStore store;

    @Inject
    Instance<Sender> senders;

    @Inject
    Vertx vertx;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @Inject
    DeliveriesConfig config;

    @Inject
    ListRepository lists;

    @Inject
    ListConfig listConfig;

    private final Map<String, Sender> byChannel = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int maxInFlight;
    private BackgroundLoop claims;

    @PostConstruct
    void createLoop() {
        senders.forEach(sender -> byChannel.put(sender.channel(), sender));
        maxInFlight = config.maxInFlight();
        claims = new BackgroundLoop("claiming due deliveries", vertx, config.pollInterval(), this::claimDue);
        // pvl_deliveries_total of every channel and outcome at zero from the start: an alert on
        // the increase of dead deliveries sees the first one too (Prometheus sees no increase in a
        // series that appears already at one). So does pvl_deliveries_revived_total, the dead
        // deliveries retried by hand.
        for (DeliveryChannel channel : DeliveryChannel.values()) {
            for (String outcome : List.of("sent", "retried", "dead")) {
                registry.counter("pvl.deliveries", "channel", channel.name(), "outcome", outcome);
            }
            registry.counter("pvl.deliveries.revived", "channel", channel.name());
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            claims.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        claims.stop();
    }

    /** Changes how many deliveries may be in flight at once (0 holds new sends back); for the benchmark. */
    public void limitInFlight(int limit) {
        maxInFlight = limit;
        claims.wake();
    }

    /** Looks for due deliveries now (after new ones were planned, or a send finished). */
    public void wake() {
        claims.wake();
    }

    /**
     * Why a send of {@code channel} to {@code target} would be refused now, as an attempt would refuse it
     * (and the delivery die at once); null when it would go, or be retried. It may block (a host name is
     * resolved): call it on a worker thread.
     */
    public String refusal(String channel, String target) {
        Sender sender = byChannel.get(channel);
        return sender == null ? "no sender for channel " + channel : sender.refusal(target);
    }

    /** A dead delivery of {@code channel} was retried by hand: counted, and looked for now. */
    public void revived(String channel) {
        registry.counter("pvl.deliveries.revived", "channel", channel).increment();
        claims.wake();
    }

    /** Claims as many due deliveries as may go out now and dispatches each; more may wait when all were taken. */
    private Uni<Boolean> claimDue() {
        int free = Math.min(maxInFlight - inFlight.get(), 100);
        if (free <= 0) {
            return Uni.createFrom().item(false);
        }
        Instant now = clock.instant();
        Instant lease = now.plus(config.timeout().multipliedBy(3));
        return repository.claim(now, lease, free).flatMap(deliveries -> {
            deliveries.forEach(d -> dispatch(d, this::record));
            int left = free - deliveries.size();
            if (left == 0) {
                return Uni.createFrom().item(true);
            }
            return lists.claim(now, lease, listConfig.minInterval(), listConfig.address(), left).map(batches -> {
                batches.forEach(this::dispatch);
                return batches.size() == left;
            });
        });
    }

    /** One message to the list for a proposal's claimed notices; its id is new on every attempt. */
    private void dispatch(ListRepository.Batch batch) {
        if (batch.members().isEmpty()) {
            // Nothing went in it after all: the lease ends at once rather than when it runs out.
            Context context = BackgroundLoop.freshContext(vertx);
            context.runOnContext(v -> SessionSql.inTransaction(() -> lists.finish(batch.proposalId(), null, null))
                    .subscribe().with(done -> claims.wake(), e -> LOG.warnf("list thread %s: %s", batch.proposalId(),
                            e.getMessage())));
            return;
        }
        String key = UUID.randomUUID().toString();
        NotificationRepository.Claimed message = ListSender.asDelivery(batch, key, listConfig.address());
        dispatch(message, o -> recordBatch(batch, ListThread.messageId(key), o));
    }

    private void dispatch(NotificationRepository.Claimed delivery, Function<Outcome, Uni<Void>> recorder) {
        inFlight.incrementAndGet();
        Context context = BackgroundLoop.freshContext(vertx);
        context.runOnContext(v -> Uni.createFrom().deferred(() -> attempt(delivery, context, recorder))
                .onFailure().invoke(e -> LOG.warnf("delivery %s: the attempt could not be recorded: %s", delivery.id(),
                        e.getMessage()))
                .onFailure().recoverWithNull()
                .subscribe().with(done -> {
                    inFlight.decrementAndGet();
                    claims.wake();
                }));
    }

    /** {@code fatal}: no retry can help (the target is refused now), so the delivery dies at once. */
    record Outcome(NotificationRepository.Claimed delivery, Instant at, Integer status, String error, long latencyMs,
            boolean fatal) {
        boolean delivered() {
            return error == null;
        }
    }

    private Uni<Void> attempt(NotificationRepository.Claimed delivery, Context context,
            Function<Outcome, Uni<Void>> recorder) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        Sender sender = byChannel.get(delivery.channel());
        Uni<Integer> sent = sender == null
                ? Uni.createFrom().failure(new Sender.Refused("no sender for channel " + delivery.channel()))
                : Uni.createFrom().deferred(() -> sender.send(delivery, at));
        return sent.ifNoItem().after(config.timeout().plusSeconds(1)).fail()
                .map(status -> new Outcome(delivery, at, status, status != null && status / 100 != 2 ? "HTTP " + status
                        : null, elapsed(started), false))
                .onFailure().recoverWithItem(e -> new Outcome(delivery, at, null, e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), elapsed(started),
                        e instanceof Sender.Refused))
                // Back onto this delivery's own context, where the outcome is recorded with Hibernate Reactive.
                .emitOn(task -> context.runOnContext(v -> task.run()))
                // Two deliveries of one proposal dying at once race to append delivery-failed to the
                // same stream: the loser records its outcome again in a fresh transaction.
                .flatMap(outcome -> Uni.createFrom().deferred(() -> SessionSql.inTransaction(() -> recorder.apply(outcome)))
                        .onFailure(ConcurrencyConflict.class).retry().atMost(3));
    }

    private Uni<Void> record(Outcome o) {
        latency(o);
        return recordOne(o.delivery(), o, retryDelay(o.delivery().seriesAttempts() + 1));
    }

    /**
     * A list message's outcome is each of its notices' outcome: each is recorded as its own
     * attempt (it dies after its own last attempt); one retry delay for them all, so they stay
     * together. A message that went starts the thread's next interval.
     */
    private Uni<Void> recordBatch(ListRepository.Batch batch, String messageId, Outcome o) {
        latency(o);
        Duration delay = retryDelay(o.delivery().seriesAttempts() + 1);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (NotificationRepository.Claimed member : batch.members()) {
            chain = chain.flatMap(v -> recordOne(member, o, delay));
        }
        return chain.flatMap(v -> lists.finish(batch.proposalId(), o.delivered() ? o.at() : null, messageId));
    }

    private void latency(Outcome o) {
        Timer.builder("pvl.delivery.latency").tag("channel", o.delivery().channel()).register(registry)
                .record(o.latencyMs(), TimeUnit.MILLISECONDS);
    }

    private RetryPolicy policy() {
        return new RetryPolicy(config.retry().base(), config.retry().cap(), config.retry().maxAttempts());
    }

    private Duration retryDelay(int attempt) {
        return policy().delayAfter(attempt, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Records attempt {@code d.attempts() + 1} of {@code d} with the outcome {@code o} (the message's). It
     * is dead once the attempts of its current series are spent: a retry by hand gives it a new series.
     */
    private Uni<Void> recordOne(NotificationRepository.Claimed d, Outcome o, Duration delay) {
        RetryPolicy policy = policy();
        int attempt = d.attempts() + 1;
        String channel = d.channel();
        if (o.delivered()) {
            registry.counter("pvl.deliveries", "channel", channel, "outcome", "sent").increment();
            return repository.recordAttempt(d.id(), attempt, o.at(), o.status(), null, o.latencyMs(), "DELIVERED", null);
        }
        if (policy.exhausted(d.seriesAttempts() + 1) || o.fatal()) {
            registry.counter("pvl.deliveries", "channel", channel, "outcome", "dead").increment();
            if (EventType.DELIVERY_FAILED.typeName().equals(d.eventType())) {
                // The news of a failure could not be delivered either: dead, and said no further,
                // or each failure would announce itself again, for ever (one per subscriber).
                return repository.recordAttempt(d.id(), attempt, o.at(), o.status(), o.error(), o.latencyMs(), "DEAD",
                        null);
            }
            // Every death is news, a delivery's second one (after a retry by hand) too: each event has an id of
            // its own, so the planner does not take it for a redelivery of the first.
            DeliveryFailed failed = new DeliveryFailed(d.proposalId(), d.subscriptionId(), d.eventId().toString(),
                    d.eventType(), DeliveryChannel.valueOf(channel), Targets.shown(channel, d.target()), attempt, o.status(),
                    o.error());
            return repository.recordAttempt(d.id(), attempt, o.at(), o.status(), o.error(), o.latencyMs(), "DEAD", null)
                    .flatMap(v -> store.fold(failed.proposalId(), 0, (n, e) -> n + 1))
                    .flatMap(folded -> store.append(failed.proposalId(), folded.version(), "notification-service",
                            List.of(failed)))
                    .replaceWithVoid();
        }
        registry.counter("pvl.deliveries", "channel", channel, "outcome", "retried").increment();
        // The delay counts from the end of the attempt.
        Instant next = o.at().plusMillis(o.latencyMs()).plus(delay);
        return repository.recordAttempt(d.id(), attempt, o.at(), o.status(), o.error(), o.latencyMs(), "PENDING", next)
                // Look again when it falls due rather than at the next poll; the poll still covers a restart.
                .invoke(() -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> claims.wake()));
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
