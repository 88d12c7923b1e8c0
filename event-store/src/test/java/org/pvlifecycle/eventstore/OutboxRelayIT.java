package org.pvlifecycle.eventstore;

import org.pvlifecycle.testkit.SampleEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestKafka;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.testkit.OnVertx.await;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class OutboxRelayIT {
    @Inject
    EventStore store;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    static Predicate<List<ConsumerRecord<String, String>>> containsId(String eventId) {
        return records -> records.stream().anyMatch(r -> eventId.equals(TopicProbe.header(r, "ce_id")));
    }

    @Test
    void publishesBinaryCloudEventsKeyedByProposalInOrder() {
        String id = SampleEvents.newProposal();
        ObjectionRaised first = SampleEvents.objection(id);
        ObjectionRaised second = SampleEvents.objection(id);
        List<EventEnvelope<LifecycleEvent>> appended = await(() -> store.append(id, 0, "carol", List.of(first, second)));
        String lastId = appended.get(1).id().toString();

        List<ConsumerRecord<String, String>> records = TopicProbe.readUntil(Topics.REVIEW, Duration.ofSeconds(30),
                containsId(lastId));
        List<ConsumerRecord<String, String>> mine = records.stream().filter(r -> id.equals(r.key())).toList();

        assertThat(mine).hasSize(2);
        ConsumerRecord<String, String> record = mine.get(0);
        assertThat(TopicProbe.header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(TopicProbe.header(record, "ce_id")).isEqualTo(appended.get(0).id().toString());
        assertThat(TopicProbe.header(record, "ce_type")).isEqualTo("pv.review.objection-raised.v1");
        assertThat(TopicProbe.header(record, "ce_source")).isEqualTo("/event-store-test");
        assertThat(TopicProbe.header(record, "ce_subject")).isEqualTo(id);
        assertThat(TopicProbe.header(record, "ce_time")).isNotBlank();
        assertThat(TopicProbe.header(record, "ce_actor")).isEqualTo("carol");
        assertThat(mine).extracting(r -> TopicProbe.header(r, "ce_sequence")).containsExactly("1", "2");
        assertThat(EventJson.mapper().convertValue(EventJson.tree(record.value()), ObjectionRaised.class))
                .isEqualTo(first);
    }

    /** Twelve events of about 700 bytes, published in batches of 2 KiB: all of them, once each, in order. */
    @Test
    void eventsBeyondABatchsBytesGoOutInSeveralBatchesInOrder() {
        String id = SampleEvents.newProposal();
        String rationale = "The request id is 32 bits wide but the ring can hold more entries. ".repeat(10);
        List<LifecycleEvent> objections = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            objections.add(new ObjectionRaised(id, id + ".o" + i, org.pvlifecycle.events.Stage.DESIGN,
                    org.pvlifecycle.events.ObjectionCategory.ABI, "ABI", rationale, false));
        }
        List<EventEnvelope<LifecycleEvent>> appended = await(() -> store.append(id, 0, "carol", objections));
        String lastId = appended.get(11).id().toString();

        List<ConsumerRecord<String, String>> records = TopicProbe.readUntil(Topics.REVIEW, Duration.ofSeconds(30),
                containsId(lastId));
        assertThat(records.stream().filter(r -> id.equals(r.key())).map(r -> TopicProbe.header(r, "ce_id")).toList())
                .containsExactlyElementsOf(appended.stream().map(e -> e.id().toString()).toList());
    }

    @Test
    void anAcceptedAppendSurvivesKafkaBeingDownAndArrivesExactlyOnce() {
        String id = SampleEvents.newProposal();
        TestKafka.stop();
        List<EventEnvelope<LifecycleEvent>> appended;
        try {
            appended = await(() -> store.append(id, 0, "carol", List.of(SampleEvents.objection(id))));
            // The relay tries (and fails) while the broker is away; the row must wait for it.
            await(() -> io.smallrye.mutiny.Uni.createFrom().voidItem()
                    .onItem().delayIt().by(Duration.ofSeconds(3)));
            // What the operators' alert watches: the event waiting since the relay first found it.
            assertThat(oldestWaitingSeconds()).as("pvl_outbox_oldest_waiting_seconds, Kafka away for 3 s")
                    .isBetween(2.0, 60.0);
        } finally {
            TestKafka.start();
        }
        String eventId = appended.get(0).id().toString();

        List<ConsumerRecord<String, String>> records = TopicProbe.readUntil(Topics.REVIEW, Duration.ofSeconds(60),
                containsId(eventId));
        // Read on a little after the first copy appears, so that a duplicate would be seen too.
        records = TopicProbe.readUntil(Topics.REVIEW, Duration.ofSeconds(3), r -> false);

        assertThat(records.stream().filter(r -> eventId.equals(TopicProbe.header(r, "ce_id")))).hasSize(1);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(oldestWaitingSeconds()).as("once the outbox is empty").isZero());
    }

    private double oldestWaitingSeconds() {
        return registry.get("pvl.outbox.oldest.waiting").timeGauge().value(java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aRelayHoldingAFreshLeaseWritesNothingToIt() {
        publishOne();
        // The lease this relay holds, fresh for an hour: its runs read it and leave it be.
        sql("update outbox_lease set expires_at = now() + interval '1 hour' where name = 'relay'");
        String before = lease();

        publishOne();
        publishOne();

        // Not a new version of the row (xmin), nor a new holder or expiry: no write, no commit to flush.
        assertThat(lease()).isEqualTo(before);
    }

    @Test
    void theHolderRenewsItsLeaseOnceHalfOfItIsSpent() {
        publishOne();
        String holder = sql("select holder from outbox_lease where name = 'relay'");
        // Less than half of the 30-second lease left.
        sql("update outbox_lease set expires_at = now() + interval '2 seconds' where name = 'relay'");

        publishOne();

        assertThat(sql("select holder from outbox_lease where name = 'relay'")).isEqualTo(holder);
        assertThat(sql("select expires_at > now() + interval '20 seconds' from outbox_lease where name = 'relay'"))
                .isEqualTo("true");
    }

    /** An event appended and seen on its topic: the relay ran with the lease. */
    private void publishOne() {
        String id = SampleEvents.newProposal();
        String eventId = await(() -> store.append(id, 0, "carol", List.of(SampleEvents.objection(id))))
                .get(0).id().toString();
        assertThat(TopicProbe.readUntil(Topics.REVIEW, Duration.ofSeconds(30), containsId(eventId)))
                .anyMatch(r -> eventId.equals(TopicProbe.header(r, "ce_id")));
    }

    private String lease() {
        return sql("select xmin::text || ' ' || holder || ' ' || expires_at from outbox_lease where name = 'relay'");
    }

    /** The first column of the first row as text, if any. */
    private String sql(String statement) {
        return await(() -> pool.withConnection(connection -> connection.query(statement).execute())
                .map(rows -> {
                    var first = rows.iterator();
                    return first.hasNext() ? String.valueOf(first.next().getValue(0)) : null;
                }));
    }
}
