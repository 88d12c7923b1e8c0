package org.pvlifecycle.consumer;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckRetracted;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.testkit.SampleEvents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventRoutesTest {

    private static EventEnvelope<LifecycleEvent> envelope(LifecycleEvent event) {
        return new EventEnvelope<>(UUID.randomUUID(), "/review-service", EventType.of(event), event.proposalId(),
                Instant.parse("2026-12-02T06:00:00Z"), 1, "carol", event);
    }

    @Test
    void eachEventGoesToTheEffectOfItsTypeWithItsPayloadAsThatType() {
        List<String> seen = new ArrayList<>();
        EventRoutes routes = EventRoutes.none()
                .on(ObjectionRaised.class, (event, raised) -> {
                    seen.add("raised " + raised.objectionId() + " by " + event.actor());
                    return Uni.createFrom().voidItem();
                })
                .on(AckRetracted.class, (event, retracted) -> {
                    seen.add("retracted " + retracted.ackId());
                    return Uni.createFrom().voidItem();
                });
        ObjectionRaised raised = SampleEvents.objection("p-1");

        routes.apply(envelope(new AckRetracted("p-1", "ack-7"))).await().indefinitely();
        routes.apply(envelope(raised)).await().indefinitely();
        routes.apply(envelope(new ObjectionWithdrawn("p-1", raised.objectionId(), "resolved")))
                .await().indefinitely();

        assertThat(seen).containsExactly("retracted ack-7", "raised " + raised.objectionId() + " by carol");
        assertThat(routes.types()).containsExactlyInAnyOrder(EventType.OBJECTION_RAISED, EventType.ACK_RETRACTED);
    }

    @Test
    void anInboxOfRoutesTakesTheirTypesAndReadsWhatItCannotName() {
        Inbox inbox = Inbox.routed("review-in", "pv.review.events",
                EventRoutes.none().on(ObjectionRaised.class, (event, raised) -> Uni.createFrom().voidItem()));

        assertThat(inbox.takes()).containsExactly(EventType.OBJECTION_RAISED);
        assertThat(inbox.takes("pv.review.objection-raised.v1")).isTrue();
        assertThat(inbox.takes("pv.review.ack-retracted.v1")).isFalse();
        // Read, so that the reading fails and the record is dead-lettered, not dropped unseen.
        assertThat(inbox.takes("pv.review.objection-raised.v9")).isTrue();
        assertThat(inbox.takes(null)).isTrue();
        // What it is derived into keeps the types.
        assertThat(inbox.finishing(events -> Uni.createFrom().voidItem()).takes())
                .containsExactly(EventType.OBJECTION_RAISED);
        assertThat(new Inbox("review-in", "pv.review.events", event -> Uni.createFrom().voidItem()).takes())
                .containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void aRouteWithAConditionConcernsOnlyTheEventsItHolds() {
        List<String> seen = new ArrayList<>();
        EventRoutes routes = EventRoutes.none()
                .on(ObjectionWithdrawn.class, withdrawn -> !withdrawn.text().isEmpty(), (event, withdrawn) -> {
                    seen.add(withdrawn.text());
                    return Uni.createFrom().voidItem();
                })
                .on(ObjectionRaised.class, (event, raised) -> Uni.createFrom().voidItem());
        Inbox inbox = Inbox.routed("review-in", "pv.review.events", routes);
        EventEnvelope<LifecycleEvent> said = envelope(new ObjectionWithdrawn("p-1", "o-1", "resolved"));
        EventEnvelope<LifecycleEvent> silent = envelope(new ObjectionWithdrawn("p-1", "o-2", ""));

        assertThat(routes.concerns(said)).isTrue();
        assertThat(routes.concerns(silent)).isFalse();
        assertThat(routes.concerns(envelope(SampleEvents.objection("p-1")))).as("a route without a condition").isTrue();
        assertThat(routes.concerns(envelope(new AckRetracted("p-1", "ack-7")))).as("a type without a route").isFalse();
        // The inbox asks the routes, and what it is derived into too.
        assertThat(inbox.concerns().test(silent)).isFalse();
        assertThat(inbox.finishing(events -> Uni.createFrom().voidItem()).concerns().test(said)).isTrue();
        assertThat(inbox.takes()).containsExactlyInAnyOrder(EventType.OBJECTION_WITHDRAWN, EventType.OBJECTION_RAISED);
        inbox.effects().apply(List.of(said)).await().indefinitely();
        assertThat(seen).containsExactly("resolved");
    }

    @Test
    void anEventWhoseConditionFailsGoesToItsEffect() {
        List<String> seen = new ArrayList<>();
        Inbox inbox = Inbox.routed("review-in", "pv.review.events", EventRoutes.none()
                .on(ObjectionWithdrawn.class, withdrawn -> withdrawn.text().length() > 3, (event, withdrawn) -> {
                    seen.add(withdrawn.objectionId());
                    return Uni.createFrom().voidItem();
                }));
        EventEnvelope<LifecycleEvent> undecidable = envelope(new ObjectionWithdrawn("p-1", "o-1", null));

        assertThat(inbox.concernedWith(undecidable)).as("a condition that throws").isTrue();
        assertThat(inbox.concernedWith(envelope(new ObjectionWithdrawn("p-1", "o-2", "ok")))).isFalse();
        inbox.effects().apply(List.of(undecidable)).await().indefinitely();
        assertThat(seen).containsExactly("o-1");
    }

    @Test
    void aTypeRoutedOnAnInboxOfAnotherTopicIsAMistake() {
        EventRoutes routes = EventRoutes.none().on(ObjectionRaised.class, (event, raised) -> Uni.createFrom().voidItem());

        assertThatThrownBy(() -> Inbox.routed("proposal-events", "pv.proposal.events", routes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("objection-raised").hasMessageContaining("pv.review.events");
    }

    @Test
    void aTypeRoutedTwiceIsAMistake() {
        EventRoutes once = EventRoutes.none().on(ObjectionRaised.class, (event, raised) -> Uni.createFrom().voidItem());

        assertThatThrownBy(() -> once.on(ObjectionRaised.class, (event, raised) -> Uni.createFrom().voidItem()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("objection-raised");
        assertThat(once.types()).containsExactly(EventType.OBJECTION_RAISED);
    }
}
