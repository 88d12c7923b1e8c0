package org.pvlifecycle.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.SampleEvents;
import org.pvlifecycle.testkit.TestKafka;
import org.pvlifecycle.testkit.TopicProbe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.TreeMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.testkit.OnVertx.await;

/**
 * Records that reach the consumer back to back come as batches, each applied in one transaction:
 * every event once, in the partition's order, each effect seeing the ones before it. A batch that
 * comes again changes nothing, and a record that cannot be applied is dead-lettered alone.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class BatchConsumerIT {

    @Inject
    MeterRegistry registry;

    /** What the test consumer applied for a proposal, in the order it applied it. */
    record Applied(String eventId, long tx, long earlier) {
    }

    static List<Applied> applied(String proposal) {
        List<Object[]> rows = await(() -> SessionSql.select(
                "select event_id, tx, earlier from test_effects where proposal_id = $1 order by position", proposal));
        return rows.stream().map(row -> new Applied(row[0].toString(), ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue())).toList();
    }

    /** The transactions that applied events of {@code proposal}, and how many each applied. */
    static Map<Long, Long> eventsPerTransaction(List<Applied> applied) {
        return applied.stream().collect(Collectors.groupingBy(Applied::tx, TreeMap::new, Collectors.counting()));
    }

    /** Each call of the finish for {@code proposal}: its transaction and how many events it was given. */
    static Map<Long, Long> finishes(String proposal) {
        List<Object[]> rows = await(() -> SessionSql.select(
                "select tx, events from test_finishes where proposal_id = $1", proposal));
        Map<Long, Long> calls = new TreeMap<>();
        for (Object[] row : rows) {
            Long before = calls.put(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
            assertThat(before).as("a second finish in transaction %s", row[0]).isNull();
        }
        return calls;
    }

    /** The transactions whose lock ahead was given {@code proposal}. */
    static List<Long> locksAhead(String proposal) {
        List<Object[]> rows = await(() -> SessionSql.select(
                "select tx from test_locks_ahead where proposal_id = $1", proposal));
        return rows.stream().map(row -> ((Number) row[0]).longValue()).toList();
    }

    /** An objection on {@code subject}'s proposal, keyed (so partitioned) by {@code key}. */
    static ProducerRecord<String, String> objection(String key, String subject, String eventId) {
        return TopicProbe.record(Topics.REVIEW, key, EventJson.write(SampleEvents.objection(subject)),
                EventConsumerIT.cloudEventHeaders(eventId, "pv.review.objection-raised.v1", subject));
    }

    static List<String> newIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    static void send(String proposal, List<String> eventIds) {
        TopicProbe.sendAll(eventIds.stream().map(id -> objection(proposal, proposal, id)).toList());
    }

    @Test
    void manyEventsBackToBackAreAppliedOnceEachInOrderInFewTransactions() {
        String proposal = SampleEvents.newProposal();
        int commitsBefore = ObjectionCountingHandler.COMMITS.get();
        List<String> ids = newIds(300);
        send(proposal, ids);

        await().atMost(Duration.ofSeconds(60)).until(() -> EventConsumerIT.effects(proposal) >= ids.size());
        List<Applied> applied = applied(proposal);
        assertThat(applied).extracting(Applied::eventId).containsExactlyElementsOf(ids);
        assertThat(applied).extracting(Applied::earlier)
                .as("each effect sees what the events before it in its batch wrote")
                .containsExactlyElementsOf(LongStream.range(0, ids.size()).boxed().toList());
        long transactions = applied.stream().map(Applied::tx).distinct().count();
        assertThat(transactions).as("one transaction per batch, not per event").isLessThan(ids.size() / 10);
        assertThat(finishes(proposal)).as("the inbox's finish: once per transaction, given the events it applied")
                .isEqualTo(eventsPerTransaction(applied));
        // Told after each commit: the last one's may follow the test's sight of its rows by a moment.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ObjectionCountingHandler.COMMITS.get() - commitsBefore >= transactions);
        DistributionSummary sizes = registry.find("pvl.consumer.batch.size")
                .tag("consumer", ObjectionCountingHandler.CONSUMER).summary();
        assertThat(sizes.max()).isGreaterThan(1);
    }

    @Test
    void recordsOfATypeTheInboxDoesNotTakeAreAcknowledgedUnread() {
        // A payload that breaks the type's schema: read, it would be dead-lettered.
        LeftAlone run = leaveAlone((proposal, i, id) -> TopicProbe.record(Topics.REVIEW, proposal, "{}",
                EventConsumerIT.cloudEventHeaders(id, ObjectionCountingHandler.NOT_TAKEN.typeName(), proposal)));

        assertThat(inboxRows(run.others())).as("no inbox row for a record left unread").isZero();
        assertThat(TopicProbe.readUntil(Topics.deadLetter(Topics.REVIEW), Duration.ofSeconds(3), all -> false))
                .noneMatch(dead -> run.proposal().equals(dead.key()));
    }

    @Test
    void eventsReadThatTheInboxIsNotConcernedWithAreAcknowledgedWithoutATransaction() {
        // Of a type the consumer takes, valid, and nothing to it by its content.
        LeftAlone run = leaveAlone((proposal, i, id) -> TopicProbe.record(Topics.REVIEW, proposal,
                EventJson.write(new ObjectionWithdrawn(proposal, "o-" + i, ObjectionCountingHandler.NOT_CONCERNED)),
                EventConsumerIT.cloudEventHeaders(id, "pv.review.objection-withdrawn.v1", proposal)));

        // A transaction would have claimed them in the inbox, and the effect counted them.
        assertThat(inboxRows(run.others())).as("no inbox row for an event read and left alone").isZero();
        assertThat(applied(run.proposal())).extracting(Applied::eventId).containsExactlyElementsOf(run.objections());
    }

    /** The i-th record of a proposal that the consumer is to leave alone, with its event id. */
    interface OtherRecord {
        ProducerRecord<String, String> of(String proposal, int i, String eventId);
    }

    record LeftAlone(String proposal, List<String> objections, List<String> others) {
    }

    /**
     * Thirty objections on a new proposal, each followed by one of fifty records the consumer is
     * to leave alone, then the last twenty alone (batches with nothing to apply), after the
     * objections were applied, in order; returns once all fifty were counted as skipped and
     * acknowledged.
     */
    private LeftAlone leaveAlone(OtherRecord other) {
        String proposal = SampleEvents.newProposal();
        double skippedBefore = skipped();
        List<String> objections = newIds(30);
        List<String> others = newIds(50);
        List<ProducerRecord<String, String>> mixed = new ArrayList<>();
        List<ProducerRecord<String, String>> alone = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            if (i < objections.size()) {
                mixed.add(objection(proposal, proposal, objections.get(i)));
            }
            (i < objections.size() ? mixed : alone).add(other.of(proposal, i, others.get(i)));
        }
        TopicProbe.sendAll(mixed);
        await().atMost(Duration.ofSeconds(60)).until(() -> EventConsumerIT.effects(proposal) >= objections.size());
        assertThat(applied(proposal)).extracting(Applied::eventId).containsExactlyElementsOf(objections);
        TopicProbe.sendAll(alone);

        await().atMost(Duration.ofSeconds(30)).until(() -> skipped() - skippedBefore >= others.size());
        awaitAcknowledgedToTheEnd(proposal);
        return new LeftAlone(proposal, objections, others);
    }

    /** Acknowledged: the group's committed offset reaches the end of the proposal's partition. */
    private static void awaitAcknowledgedToTheEnd(String proposal) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            int partitions = admin.describeTopics(List.of(Topics.REVIEW)).allTopicNames().get()
                    .get(Topics.REVIEW).partitions().size();
            TopicPartition partition = new TopicPartition(Topics.REVIEW,
                    Utils.toPositive(Utils.murmur2(proposal.getBytes(StandardCharsets.UTF_8))) % partitions);
            long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get()
                    .offset();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(ObjectionCountingHandler.CONSUMER)
                        .partitionsToOffsetAndMetadata().get().get(partition);
                return committed != null && committed.offset() >= end;
            });
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("the committed offsets could not be read", e);
        }
    }

    static long inboxRows(List<String> eventIds) {
        UUID[] ids = eventIds.stream().map(UUID::fromString).toArray(UUID[]::new);
        return await(() -> SessionSql.select(
                "select count(*) from inbox where event_id = any($1)", (Object) ids)
                .map(rows -> ((Number) rows.get(0)[0]).longValue()));
    }

    double skipped() {
        Counter counter = registry.find("pvl.consumer.records.skipped")
                .tag("consumer", ObjectionCountingHandler.CONSUMER).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aBatchThatComesAgainChangesNothingAndItsNewEventsAreAppliedOnce() {
        String proposal = SampleEvents.newProposal();
        List<String> first = newIds(150);
        send(proposal, first);
        await().atMost(Duration.ofSeconds(60)).until(() -> EventConsumerIT.effects(proposal) >= first.size());

        // The same events again, as a consumer whose commit was lost reads them, then new ones,
        // each twice in a row (the copies land in the same batch).
        List<String> fresh = newIds(50);
        List<String> again = new ArrayList<>(first);
        fresh.forEach(id -> {
            again.add(id);
            again.add(id);
        });
        send(proposal, again);

        List<String> expected = new ArrayList<>(first);
        expected.addAll(fresh);
        await().atMost(Duration.ofSeconds(60)).until(() -> EventConsumerIT.effects(proposal) >= expected.size());
        List<Applied> applied = applied(proposal);
        assertThat(applied).extracting(Applied::eventId).containsExactlyElementsOf(expected);
        assertThat(finishes(proposal)).as("the finish is given what was applied, never a duplicate")
                .isEqualTo(eventsPerTransaction(applied));
    }

    @Test
    void aRecordWhoseEffectFailsInTheMiddleOfABatchIsDeadLetteredAloneAndTheOthersAreApplied() {
        String proposal = SampleEvents.newProposal();
        String refused = SampleEvents.newProposal();
        DeadLettersIT.refuse(refused, true);
        String failing = UUID.randomUUID().toString();
        double before = fallbacks("failed");

        // On the proposal's partition, an event about a proposal the test consumer refuses: the
        // batch's transaction fails, and its records go one by one.
        List<ConsumerRecord<String, String>> dead = poisonInTheMiddle(proposal, objection(proposal, refused, failing));

        assertThat(EventConsumerIT.effects(refused)).isZero();
        // The failed batch's records went one by one, each after its proposal's lock ahead, as in a batch.
        Map<Long, Long> transactions = eventsPerTransaction(applied(proposal));
        assertThat(locksAhead(proposal)).as("the proposal's locks ahead, once per transaction that applied its events")
                .containsExactlyInAnyOrderElementsOf(transactions.keySet());
        assertThat(TopicProbe.header(dead.get(0), "ce_id")).isEqualTo(failing);
        assertThat(TopicProbe.header(dead.get(0), "dead-letter-reason")).contains("the test refuses " + refused);
        assertThat(fallbacks("failed")).isGreaterThan(before);
    }

    @Test
    void anUnreadableRecordInTheMiddleOfABatchIsDeadLetteredAloneAndTheOthersAreApplied() {
        String proposal = SampleEvents.newProposal();
        double before = fallbacks("unreadable");

        List<ConsumerRecord<String, String>> dead = poisonInTheMiddle(proposal,
                TopicProbe.record(Topics.REVIEW, proposal, "not-a-cloud-event", Map.of()));

        assertThat(dead.get(0).value()).isEqualTo("not-a-cloud-event");
        assertThat(TopicProbe.header(dead.get(0), "dead-letter-reason")).contains("not a CloudEvent");
        assertThat(fallbacks("unreadable")).isGreaterThan(before);
    }

    /**
     * Sends 40 events of {@code proposal}, {@code poison} and 40 more back to back; checks that
     * the 80 are applied in order and that the poison alone is dead-lettered, which it returns.
     */
    private static List<ConsumerRecord<String, String>> poisonInTheMiddle(String proposal,
            ProducerRecord<String, String> poison) {
        List<String> before = newIds(40);
        List<String> after = newIds(40);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        before.forEach(id -> records.add(objection(proposal, proposal, id)));
        records.add(poison);
        after.forEach(id -> records.add(objection(proposal, proposal, id)));
        TopicProbe.sendAll(records);

        List<String> expected = new ArrayList<>(before);
        expected.addAll(after);
        await().atMost(Duration.ofSeconds(60)).until(() -> EventConsumerIT.effects(proposal) >= expected.size());
        assertThat(applied(proposal)).extracting(Applied::eventId).containsExactlyElementsOf(expected);

        List<ConsumerRecord<String, String>> dead = TopicProbe.readUntil(Topics.deadLetter(Topics.REVIEW),
                Duration.ofSeconds(10), all -> all.stream().anyMatch(r -> proposal.equals(r.key())))
                .stream().filter(r -> proposal.equals(r.key())).toList();
        assertThat(dead).hasSize(1);
        assertThat(TopicProbe.header(dead.get(0), EventConsumer.CONSUMER_HEADER)).isEqualTo(ObjectionCountingHandler.CONSUMER);
        return dead;
    }

    double fallbacks(String reason) {
        Counter counter = registry.find("pvl.consumer.batch.fallbacks").tag("consumer", ObjectionCountingHandler.CONSUMER)
                .tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
