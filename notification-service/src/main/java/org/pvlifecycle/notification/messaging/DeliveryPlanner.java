package org.pvlifecycle.notification.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.StructuredCloudEvent;
import org.pvlifecycle.eventstore.EventConsumer;
import org.pvlifecycle.notification.persistence.NotificationRepository;

import java.time.Clock;

/**
 * Every event of every topic becomes a delivery for each subscription it matches, written with
 * the consumer's inbox row: a crash neither loses nor doubles a notice.
 */
@ApplicationScoped
public class DeliveryPlanner {
    @Inject
    EventConsumer consumer;

    @Inject
    NotificationRepository repository;

    @Inject
    Clock clock;

    @Incoming("proposal-events")
    public Uni<Void> onProposalEvent(Message<String> message) {
        return consumer.handle("notification.proposal-events", message, this::plan);
    }

    @Incoming("review-events")
    public Uni<Void> onReviewEvent(Message<String> message) {
        return consumer.handle("notification.review-events", message, this::plan);
    }

    @Incoming("consensus-events")
    public Uni<Void> onConsensusEvent(Message<String> message) {
        return consumer.handle("notification.consensus-events", message, this::plan);
    }

    @Incoming("notification-events")
    public Uni<Void> onNotificationEvent(Message<String> message) {
        return consumer.handle("notification.notification-events", message, this::plan);
    }

    private Uni<Void> plan(EventEnvelope<LifecycleEvent> event) {
        String body;
        try {
            body = EventJson.mapper().writeValueAsString(StructuredCloudEvent.of(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return repository.plan(event.id(), event.type().typeName(), event.subject(), body, clock.instant())
                .replaceWithVoid();
    }
}
