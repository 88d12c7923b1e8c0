package org.pvlifecycle.eventstore;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The relay's safety net: every tick, whatever a wake-up missed (a crash between commit and
 * publish, Kafka down) is published. It ticks only between start-up, once messaging is wired,
 * and shut-down, before the pools close.
 */
@ApplicationScoped
public class OutboxPoller {
    private static final Logger LOG = Logger.getLogger(OutboxPoller.class);

    @Inject
    OutboxRelay relay;

    private volatile boolean running;
    private volatile boolean failing;

    void onStart(@Observes StartupEvent event) {
        running = true;
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }

    @Scheduled(every = "${pvl.outbox.poll-interval:250ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (!running) {
            return Uni.createFrom().voidItem();
        }
        return relay.publishPending()
                .invoke(published -> {
                    if (failing) {
                        failing = false;
                        LOG.info("the outbox relay reads the outbox again");
                    }
                })
                .onFailure().invoke(failure -> {
                    if (!failing && running) {
                        failing = true;
                        LOG.warnf("the outbox relay cannot read the outbox (%s); it keeps trying", failure.getMessage());
                    }
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
