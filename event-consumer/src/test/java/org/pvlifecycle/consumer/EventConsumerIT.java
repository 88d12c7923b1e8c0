package org.pvlifecycle.consumer;

import org.pvlifecycle.testkit.SampleEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.testkit.OnVertx.await;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class EventConsumerIT {

    static Map<String, String> cloudEventHeaders(String eventId, String type, String subject) {
        return Map.of(
                "ce_specversion", "1.0",
                "ce_id", eventId,
                "ce_source", "/review-service",
                "ce_type", type,
                "ce_subject", subject,
                "ce_time", "2026-11-26T09:00:00Z",
                "ce_sequence", "1",
                "ce_actor", "carol",
                "content-type", "application/json");
    }

    static long effects(String proposal) {
        return await(() -> SessionSql.select("select count(*) from test_effects where proposal_id = $1", proposal)
                .map(rows -> ((Number) rows.get(0)[0]).longValue()));
    }

    static void sendObjection(String proposal, String eventId) {
        String payload = EventJson.write(SampleEvents.objection(proposal));
        TopicProbe.send(Topics.REVIEW, proposal, payload,
                cloudEventHeaders(eventId, "pv.review.objection-raised.v1", proposal));
    }

    @Test
    void theSameEventDeliveredTwiceChangesStateOnce() {
        String proposal = SampleEvents.newProposal();
        String eventId = UUID.randomUUID().toString();

        sendObjection(proposal, eventId);
        sendObjection(proposal, eventId);
        // A later event on the same partition (same key) proves both copies were consumed.
        sendObjection(proposal, UUID.randomUUID().toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> effects(proposal) >= 2);
        assertThat(effects(proposal)).isEqualTo(2);
    }

    @Inject
    MeterRegistry registry;

    /** pvl_consumer_dead_letters_total of every consumer here, for {@code reason}. */
    double deadLettered(String reason) {
        return registry.find("pvl.consumer.dead.letters").tag("reason", reason).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /**
     * Headers that SmallRye's connector parses before any of our code runs: a CloudEvent whose
     * {@code ce_time} is no RFC 3339 time, or whose {@code ce_source} is no URI reference. Either
     * must go to the dead-letter topic like any unreadable message, and the consumer go on.
     */
    @Test
    void aMalformedCloudEventAttributeIsDeadLetteredAndConsumingGoesOn() {
        String proposal = SampleEvents.newProposal();
        String payload = EventJson.write(SampleEvents.objection(proposal));
        Map<String, String> badTime = new HashMap<>(
                cloudEventHeaders(UUID.randomUUID().toString(), "pv.review.objection-raised.v1", proposal));
        badTime.put("ce_time", "yesterday at noon");
        TopicProbe.send(Topics.REVIEW, proposal, payload, badTime);
        Map<String, String> badSource = new HashMap<>(
                cloudEventHeaders(UUID.randomUUID().toString(), "pv.review.objection-raised.v1", proposal));
        badSource.put("ce_source", "not a uri: [at all]");
        TopicProbe.send(Topics.REVIEW, proposal, payload, badSource);
        // Another version of CloudEvents may name and shape its attributes otherwise (0.3's
        // schemaurl, datacontentencoding): not read as if it were 1.0.
        Map<String, String> otherVersion = new HashMap<>(
                cloudEventHeaders(UUID.randomUUID().toString(), "pv.review.objection-raised.v1", proposal));
        otherVersion.put("ce_specversion", "0.3");
        TopicProbe.send(Topics.REVIEW, proposal, payload, otherVersion);

        sendObjection(proposal, UUID.randomUUID().toString());

        List<ConsumerRecord<String, String>> mine = appliedOnceBesideDeadLetters(proposal, 3);
        assertThat(TopicProbe.header(mine.get(0), "dead-letter-reason")).contains("ce_time").contains("yesterday");
        assertThat(TopicProbe.header(mine.get(1), "dead-letter-reason")).contains("ce_source");
        assertThat(TopicProbe.header(mine.get(2), "dead-letter-reason")).contains("ce_specversion").contains("0.3");
    }

    /**
     * The proposal's one good event applied (the consumer went on past the bad ones), and its
     * {@code count} dead letters, in the order they were sent.
     */
    static List<ConsumerRecord<String, String>> appliedOnceBesideDeadLetters(String proposal, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> effects(proposal) == 1);
        List<ConsumerRecord<String, String>> dead = TopicProbe.readUntil(Topics.deadLetter(Topics.REVIEW),
                Duration.ofSeconds(30), records -> records.stream().filter(r -> proposal.equals(r.key())).count() >= count);
        List<ConsumerRecord<String, String>> mine = dead.stream().filter(r -> proposal.equals(r.key())).toList();
        assertThat(mine).hasSize(count);
        return mine;
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicWithTheirReasonAndConsumingGoesOn() {
        double unreadableBefore = deadLettered("unreadable");
        String proposal = SampleEvents.newProposal();
        String notCloudEvent = "not-a-cloud-event-" + proposal;
        TopicProbe.send(Topics.REVIEW, proposal, notCloudEvent, Map.of());

        ObjectionRaised vague = new ObjectionRaised(proposal, "obj-1", null, null, "ABI", "too short", false);
        String badEventId = UUID.randomUUID().toString();
        TopicProbe.send(Topics.REVIEW, proposal, EventJson.write(vague),
                cloudEventHeaders(badEventId, "pv.review.objection-raised.v1", proposal));

        sendObjection(proposal, UUID.randomUUID().toString());

        List<ConsumerRecord<String, String>> mine = appliedOnceBesideDeadLetters(proposal, 2);
        assertThat(mine.get(0).value()).isEqualTo(notCloudEvent);
        assertThat(TopicProbe.header(mine.get(0), "dead-letter-reason")).contains("not a CloudEvent");
        assertThat(TopicProbe.header(mine.get(1), "ce_id")).isEqualTo(badEventId);
        assertThat(TopicProbe.header(mine.get(1), "dead-letter-reason"))
                .contains("breaks its schema").contains("rationale").contains("stage");
        // Both were unreadable: counted for the operators' alert (registered at zero at the start).
        assertThat(registry.find("pvl.consumer.dead.letters").tag("reason", "failed").counters()).isNotEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deadLettered("unreadable")
                - unreadableBefore).as("unreadable records dead-lettered").isGreaterThanOrEqualTo(2));
    }
}
