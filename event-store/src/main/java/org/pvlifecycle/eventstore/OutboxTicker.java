package org.pvlifecycle.eventstore;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The relay's safety net: whatever a wake-up missed (a crash between commit and publish, Kafka
 * away) is published at the next tick. A bean of its own because the scheduler ticks before
 * messaging is wired, and the relay must not be created (its emitter connected) before that.
 */
@ApplicationScoped
class OutboxTicker {

    @Inject
    OutboxRelay relay;

    private volatile boolean started;

    void onStart(@Observes StartupEvent event) {
        started = true;
    }

    @Scheduled(every = "${pvl.outbox.poll-interval:250ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (started) {
            relay.tick();
        }
    }
}
