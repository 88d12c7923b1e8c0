package org.pvlifecycle.notification.messaging;

import org.pvlifecycle.eventstore.SessionSql;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.consumer.TopicsFromTheStart;
import org.pvlifecycle.consumer.replay.ReplayWork;
import org.pvlifecycle.notification.domain.Concern;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Rebuilds this service's read model, who is concerned by each proposal (owners, objection
 * authors, reviewers, components, the newest policy's maintainers, last eligibility), from the
 * start of every topic while the live consumers go on. Facts are applied as the live path
 * applies them, and every one of them is safe to apply twice (an older policy read after the
 * kept one changes nothing); no delivery is planned for a replayed event, so nobody is notified
 * twice. A notice that waited for an owner, an author or a proposal's components it now knows
 * goes out.
 */
@ApplicationScoped
public class FactsReplay implements ReplayWork {
    static final int BATCH = 500;

    @Inject
    DeliveryPlanner planner;

    @Inject
    Clock clock;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Override
    public void replay(Progress progress) throws Exception {
        TopicsFromTheStart.read(bootstrapServers, Topics.ALL, BATCH, (batch, read) -> {
            if (!batch.isEmpty()) {
                List<EventEnvelope<LifecycleEvent>> events = batch.stream().map(TopicsFromTheStart.Read::event).toList();
                Instant now = clock.instant();
                try {
                    VertxContextSupport.subscribeAndAwait(() -> SessionSql.inTransaction(() -> learn(events, 0, now)));
                } catch (Throwable e) {
                    throw new IllegalStateException("facts of a batch could not be applied", e);
                }
            }
            progress.read(read.read(), read.unreadable());
        });
    }

    private Uni<Void> learn(List<EventEnvelope<LifecycleEvent>> batch, int index, Instant now) {
        if (index == batch.size()) {
            return Uni.createFrom().voidItem();
        }
        return planner.learn(batch.get(index), Concern.Memory.NONE, now).flatMap(v -> learn(batch, index + 1, now));
    }
}
