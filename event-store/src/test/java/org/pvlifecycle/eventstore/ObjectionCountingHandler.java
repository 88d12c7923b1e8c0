package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.Panache;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** A consumer as a service would write one: each event it reads adds one row of state. */
@ApplicationScoped
public class ObjectionCountingHandler {
    @Inject
    EventConsumer consumer;

    @Incoming("review-in")
    public Uni<Void> onReviewEvent(Message<String> message) {
        return consumer.handle("objection-counter", message, event -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "insert into test_effects (proposal_id, event_id, type) values (:p, :e, :t)")
                        .setParameter("p", event.subject())
                        .setParameter("e", event.id())
                        .setParameter("t", event.type().typeName())
                        .executeUpdate())
                .replaceWithVoid());
    }
}
