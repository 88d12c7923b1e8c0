package org.pvlifecycle.consensus;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.pvlifecycle.conventions.BackgroundLoop;
import org.pvlifecycle.consensus.persistence.ConsensusRepository;
import org.pvlifecycle.events.Stage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fires durable deadlines: window ends, response deadlines (lapses), decision windows (overdue,
 * auto-advance). Each tick claims due rows with {@code FOR UPDATE SKIP LOCKED}, so any number of
 * replicas fire each deadline once, and what fell due while every replica was down fires at the
 * first tick after a restart. Also keeps the gauges of proposals per stage, eligible and overdue,
 * and of how long the earliest due deadline has waited to be fired.
 */
@ApplicationScoped
public class DeadlineScheduler {
    static final int BATCH = 100;

    @Inject
    ConsensusCommands commands;

    @Inject
    ConsensusRepository repository;

    @Inject
    Vertx vertx;

    @Inject
    ConsensusConfig config;

    @Inject
    Clock clock;

    private final Map<Stage, AtomicLong> perStage = new EnumMap<>(Stage.class);
    private final AtomicLong eligibleUndecided = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong oldestDueMillis = new AtomicLong();
    private BackgroundLoop deadlines;
    private BackgroundLoop gauges;

    @PostConstruct
    void createLoops() {
        deadlines = new BackgroundLoop("firing deadlines", vertx, config.tick(),
                () -> commands.fireDue(BATCH).map(fired -> fired == BATCH));
        gauges = new BackgroundLoop("counting proposals for the gauges", vertx, config.gaugeRefresh(),
                () -> refreshGauges().replaceWith(false));
    }

    void onStart(@Observes StartupEvent event, MeterRegistry registry) {
        for (Stage stage : Stage.values()) {
            AtomicLong count = new AtomicLong();
            perStage.put(stage, count);
            Gauge.builder("pvl.proposals", count, AtomicLong::get).tag("stage", stage.name())
                    .description("Proposals per stage").register(registry);
        }
        Gauge.builder("pvl.proposals.eligible.undecided", eligibleUndecided, AtomicLong::get)
                .description("Eligible proposals awaiting the Czar's decision").register(registry);
        Gauge.builder("pvl.proposals.decision.overdue", overdue, AtomicLong::get)
                .description("Eligible proposals past the decision window").register(registry);
        // The lateness timer counts only deadlines that were fired: a loop that fires nothing (its
        // passes failing, or a proposal's row held by a transaction that never ends, which the
        // loop skips) shows here instead, counted by the other loop.
        TimeGauge.builder("pvl.deadlines.oldest.due", oldestDueMillis, TimeUnit.MILLISECONDS, AtomicLong::get)
                .description("How long the earliest deadline that has fallen due has waited to be fired, "
                        + "as of the last count; 0 when none waits")
                .register(registry);
        deadlines.start();
        gauges.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        deadlines.stop();
        gauges.stop();
    }

    /** Fires batches until nothing is due. */
    public Uni<Void> fireAll() {
        return commands.fireDue(BATCH).flatMap(fired -> fired == BATCH ? fireAll() : Uni.createFrom().voidItem());
    }

    private Uni<Void> refreshGauges() {
        Instant now = clock.instant();
        return repository.counts(now).invoke(rows -> {
            perStage.values().forEach(c -> c.set(0));
            long eligible = 0;
            long late = 0;
            OffsetDateTime oldestDue = null;
            for (Object[] row : rows) {
                perStage.get(Stage.valueOf((String) row[0])).set(((Number) row[1]).longValue());
                eligible += ((Number) row[2]).longValue();
                late += ((Number) row[3]).longValue();
                if (row[4] instanceof OffsetDateTime due && (oldestDue == null || due.isBefore(oldestDue))) {
                    oldestDue = due;
                }
            }
            eligibleUndecided.set(eligible);
            overdue.set(late);
            oldestDueMillis.set(oldestDue == null ? 0 : Duration.between(oldestDue.toInstant(), now).toMillis());
        }).replaceWithVoid();
    }
}
