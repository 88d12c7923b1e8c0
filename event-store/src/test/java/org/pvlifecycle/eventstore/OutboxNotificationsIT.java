package org.pvlifecycle.eventstore;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.SampleEvents;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.testkit.OnVertx.await;

/**
 * With the relay's tick an hour away, what is appended still reaches Kafka: PostgreSQL's
 * notification of the committed outbox rows wakes the relay, for every append.
 */
@QuarkusTest
@TestProfile(OutboxNotificationsIT.TickAnHourAway.class)
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class OutboxNotificationsIT {
    public static class TickAnHourAway implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pvl.outbox.poll-interval", "1h");
        }
    }

    @Inject
    EventStore store;
    @Inject
    OutboxNotifications notifications;

    @Test
    void eachCommittedAppendIsPublishedWithoutWaitingForATick() {
        assertThat(notifications.channel()).isEqualTo("pvl_outbox_event_store_test");
        // An append before the listener is up would be published by its catch-up run, not by a
        // notification: wait for it, to test the notifications.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(notifications::listening);
        for (int i = 0; i < 3; i++) {
            String id = SampleEvents.newProposal();
            List<EventEnvelope<LifecycleEvent>> appended = await(
                    () -> store.append(id, 0, "carol", List.of(SampleEvents.objection(id))));
            String eventId = appended.get(0).id().toString();
            assertThat(TopicProbe.readUntil(Topics.REVIEW, Duration.ofSeconds(30), OutboxRelayIT.containsId(eventId)))
                    .anyMatch(r -> eventId.equals(TopicProbe.header(r, "ce_id")));
        }
    }
}
