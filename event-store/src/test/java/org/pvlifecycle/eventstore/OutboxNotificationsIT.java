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

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.testkit.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.testkit.OnVertx.await;

/**
 * With the relay's tick an hour away, what is appended still reaches Kafka: the relay is woken
 * after each commit, by this instance itself while it holds the relay's lease, by a PostgreSQL
 * notification from the instance that committed when another holds it.
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
    @Inject
    OutboxRelay relay;

    static final String SCHEMA = "event_store_test";
    static final String CHANNEL = "pvl_outbox_" + SCHEMA;

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

    @Test
    void anAppendTellsNobodyWhileThisInstanceHoldsTheLeaseAndTheHolderWhenAnotherDoes() throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(notifications::listening);
        try (Connection listener = connect(); Statement statement = listener.createStatement()) {
            statement.execute("listen " + CHANNEL);
            PGConnection notified = listener.unwrap(PGConnection.class);
            relay.wake();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(relay::holdsLease);
            pending(statement, notified);

            // This instance's relay publishes what it commits: nobody else is told.
            String mine = appendOne();
            assertThat(TopicProbe.readUntil(Topics.REVIEW, Duration.ofSeconds(30), OutboxRelayIT.containsId(mine)))
                    .anyMatch(r -> mine.equals(TopicProbe.header(r, "ce_id")));
            assertThat(pending(statement, notified)).isEmpty();

            try {
                statement.execute("update " + SCHEMA + ".outbox_lease set holder = 'another instance', "
                        + "expires_at = now() + interval '1 hour' where name = 'relay'");
                relay.wake();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !relay.holdsLease());

                // Another instance holds the lease: it is told, once the append has committed.
                String theirs = appendOne();
                PGNotification[] told = notified.getNotifications(30_000);
                assertThat(told).extracting(PGNotification::getName).contains(CHANNEL);
                try (Statement other = connect().createStatement();
                     ResultSet rows = other.executeQuery("select count(*) from " + SCHEMA + ".outbox o join "
                             + SCHEMA + ".events e using (event_id) where e.event_id = '" + theirs + "'")) {
                    rows.next();
                    assertThat(rows.getInt(1)).as("the outbox row, committed when the holder is told").isEqualTo(1);
                }
            } finally {
                // The lease is back for the taking, as when the other instance stops: this one
                // takes it and publishes what waited.
                statement.execute("update " + SCHEMA + ".outbox_lease set expires_at = now() where name = 'relay'");
                relay.wake();
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(relay::holdsLease);
        }
    }

    @Test
    void aNotificationFromAnotherInstanceWakesTheRelay() throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(notifications::listening);
        String id = SampleEvents.newProposal();
        LifecycleEvent objection = SampleEvents.objection(id);
        EventType type = EventType.of(objection);
        String eventId = UUID.randomUUID().toString();
        // Committed as another instance commits, then notified as it tells the holder.
        try (Connection other = connect()) {
            other.setAutoCommit(false);
            try (Statement statement = other.createStatement()) {
                statement.execute("insert into " + SCHEMA + ".events (event_id, aggregate_id, version, type, source, "
                        + "actor, occurred_at, payload) values ('" + eventId + "', '" + id + "', 1, '"
                        + type.typeName() + "', 'another-instance', 'carol', now(), '"
                        + EventJson.write(objection).replace("'", "''") + "')");
                statement.execute("insert into " + SCHEMA + ".outbox (event_id, topic) values ('" + eventId + "', '"
                        + type.topic() + "')");
                other.commit();
                statement.execute("notify " + CHANNEL);
                other.commit();
            }
        }

        assertThat(TopicProbe.readUntil(Topics.REVIEW, Duration.ofSeconds(30), OutboxRelayIT.containsId(eventId)))
                .anyMatch(r -> eventId.equals(TopicProbe.header(r, "ce_id")));
    }

    private String appendOne() {
        String id = SampleEvents.newProposal();
        return await(() -> store.append(id, 0, "carol", List.of(SampleEvents.objection(id)))).get(0).id().toString();
    }

    /** The notifications that arrived on {@code listener} so far (a statement reads them in). */
    private static List<PGNotification> pending(Statement statement, PGConnection listener) throws Exception {
        statement.execute("select 1");
        PGNotification[] arrived = listener.getNotifications();
        return arrived == null ? List.of() : List.of(arrived);
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password());
    }
}
