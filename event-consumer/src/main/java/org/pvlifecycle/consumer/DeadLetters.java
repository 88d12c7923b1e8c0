package org.pvlifecycle.consumer;

import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.conventions.DependencyDown;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.events.UnreadableEventException;
import org.pvlifecycle.conventions.rest.ProblemException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * This service's dead letters, read from the {@code <topic>.dlq} topics of the topics it consumes,
 * and their re-drive through the same {@link Inbox} the live consumer applies: the inbox row
 * makes a re-drive of a message that was applied meanwhile change nothing. A dead letter names
 * its consumer in the {@value EventConsumer#CONSUMER_HEADER} header; one written before that
 * header existed belongs to every consumer of this service that reads its original topic.
 */
@ApplicationScoped
public class DeadLetters {

    @Inject
    DeadLettersConfig config;
    public static final String APPLIED = "APPLIED";
    public static final String ALREADY_APPLIED = "ALREADY_APPLIED";
    public static final String FAILED = "FAILED";

    /**
     * One dead letter of one consumer, with the last re-drive of it, if any; {@code key} is the
     * record's key (the proposal id), which even an unreadable message usually has.
     */
    public record DeadLetter(String id, String topic, int partition, long offset, String key, String consumer,
            String originalTopic, Integer originalPartition, Long originalOffset, String eventId, String type,
            String subject, String reason, Instant deadLetteredAt, Redrive redrive) {
    }

    /** What a re-drive did for one consumer. */
    public record Redrive(Instant at, String outcome, String reason) {
    }

    /** The answer to a re-drive: the dead letter, the consumer, and what happened. */
    public record RedriveResult(String id, String consumer, String outcome, String reason) {
    }

    @Inject
    Instance<EventHandler> handlers;

    @Inject
    EventConsumer eventConsumer;

    @Inject
    EventAttempts attempts;

    @Inject
    Clock clock;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;


    /** Every dead letter of this service's consumers, oldest first per topic and partition. */
    public Uni<List<DeadLetter>> list() {
        Map<String, Inbox> inboxes = inboxesByConsumer();
        return blocking(() -> readAll(inboxes.values()))
                .flatMap(records -> redrives().map(done -> letters(records, inboxes, done)));
    }

    /** Re-drives one dead letter through each of its consumers here. */
    public Uni<List<RedriveResult>> redrive(String id) {
        Map<String, Inbox> inboxes = inboxesByConsumer();
        Location at = Location.parse(id);
        return blocking(() -> readOne(at)).flatMap(record -> {
            if (record.isEmpty()) {
                return Uni.createFrom().item(List.<RedriveResult>of());
            }
            List<Inbox> targets = owners(record.get(), inboxes);
            return redriveEach(record.get(), targets, 0, new ArrayList<>());
        });
    }

    /** Re-drives every dead letter of this service not yet applied by a re-drive. */
    public Uni<List<RedriveResult>> redriveAll() {
        Map<String, Inbox> inboxes = inboxesByConsumer();
        return blocking(() -> readAll(inboxes.values())).flatMap(records -> redrives().flatMap(done -> {
            List<Pending> pending = new ArrayList<>();
            for (ConsumerRecord<String, String> record : records) {
                for (Inbox inbox : owners(record, inboxes)) {
                    Redrive before = done.get(key(Location.of(record).id(), eventConsumer.nameOf(inbox)));
                    if (before == null || FAILED.equals(before.outcome())) {
                        pending.add(new Pending(record, inbox));
                    }
                }
            }
            return redrivePending(pending, 0, new ArrayList<>());
        }));
    }

    private record Pending(ConsumerRecord<String, String> record, Inbox inbox) {
    }

    private Uni<List<RedriveResult>> redrivePending(List<Pending> pending, int index, List<RedriveResult> results) {
        if (index == pending.size()) {
            return Uni.createFrom().item(results);
        }
        Pending next = pending.get(index);
        return redriveOne(next.record(), next.inbox()).flatMap(result -> {
            results.add(result);
            return redrivePending(pending, index + 1, results);
        });
    }

    private Uni<List<RedriveResult>> redriveEach(ConsumerRecord<String, String> record, List<Inbox> targets, int index,
            List<RedriveResult> results) {
        if (index == targets.size()) {
            return Uni.createFrom().item(results);
        }
        return redriveOne(record, targets.get(index)).flatMap(result -> {
            results.add(result);
            return redriveEach(record, targets, index + 1, results);
        });
    }

    /**
     * One attempt through the inbox. A message that still cannot be read, or whose effect fails
     * again, is FAILED with the reason; the database being away fails the request (a 503) and
     * records nothing.
     */
    private Uni<RedriveResult> redriveOne(ConsumerRecord<String, String> record, Inbox inbox) {
        String id = Location.of(record).id();
        EventEnvelope<LifecycleEvent> event;
        try {
            event = CloudEventReader.read(CloudEventReader.headers(record.headers()), record.value());
        } catch (UnreadableEventException e) {
            return remember(new RedriveResult(id, eventConsumer.nameOf(inbox), FAILED, e.getMessage()));
        }
        return attempts.attempt(inbox, event)
                .map(first -> new RedriveResult(id, eventConsumer.nameOf(inbox), first ? APPLIED : ALREADY_APPLIED, null))
                .onFailure(failure -> !DependencyDown.is(failure))
                .recoverWithItem(failure -> new RedriveResult(id, eventConsumer.nameOf(inbox), FAILED, String.valueOf(failure.getMessage())))
                .flatMap(this::remember);
    }

    // Plain statements, not Hibernate native queries: see SessionSql on what those cost.
    private Uni<RedriveResult> remember(RedriveResult result) {
        return SessionSql.inTransaction(() -> SessionSql.update("""
                        insert into dead_letter_redrives (dead_letter, consumer, outcome, reason, redriven_at)
                        values ($1, $2, $3, $4, $5)
                        on conflict (dead_letter, consumer) do update
                        set outcome = excluded.outcome, reason = excluded.reason, redriven_at = excluded.redriven_at""",
                result.id(), result.consumer(), result.outcome(), result.reason(), utc(clock.instant())))
                .replaceWith(result);
    }

    private Uni<Map<String, Redrive>> redrives() {
        return SessionSql.select("select dead_letter, consumer, outcome, reason, redriven_at from dead_letter_redrives")
                .map(rows -> {
                    Map<String, Redrive> done = new HashMap<>();
                    for (Object[] row : rows) {
                        done.put(key((String) row[0], (String) row[1]),
                                new Redrive(SqlTimes.instant(row[4]), (String) row[2], (String) row[3]));
                    }
                    return done;
                });
    }

    private static String key(String id, String consumer) {
        return id + " " + consumer;
    }

    private List<DeadLetter> letters(List<ConsumerRecord<String, String>> records, Map<String, Inbox> inboxes,
            Map<String, Redrive> done) {
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            Map<String, String> headers = CloudEventReader.headers(record.headers());
            Location at = Location.of(record);
            for (Inbox inbox : owners(record, inboxes)) {
                letters.add(new DeadLetter(at.id(), record.topic(), record.partition(), record.offset(),
                        record.key(), eventConsumer.nameOf(inbox), originalTopic(record), integer(headers.get("dead-letter-partition")),
                        longValue(headers.get("dead-letter-offset")), headers.get("ce_id"), headers.get("ce_type"),
                        headers.get("ce_subject"), reason(headers), Instant.ofEpochMilli(record.timestamp()),
                        done.get(key(at.id(), eventConsumer.nameOf(inbox)))));
            }
        }
        return letters;
    }

    private static Integer integer(String text) {
        try {
            return text == null ? null : Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longValue(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String reason(Map<String, String> headers) {
        String reason = headers.get("dead-letter-reason");
        String cause = headers.get("dead-letter-cause");
        return cause == null || cause.equals(reason) ? reason : reason + " (caused by: " + cause + ")";
    }

    /** The consumers here that the record was dead-lettered by (see the class comment). */
    private List<Inbox> owners(ConsumerRecord<String, String> record, Map<String, Inbox> inboxes) {
        Header named = record.headers().lastHeader(EventConsumer.CONSUMER_HEADER);
        if (named != null) {
            String name = new String(named.value(), StandardCharsets.UTF_8);
            Inbox inbox = inboxes.get(name);
            if (inbox != null) {
                return List.of(inbox);
            }
            return inboxes.values().stream()
                    .filter(candidate -> candidate.formerlyNamed(name, eventConsumer.application())).toList();
        }
        String original = originalTopic(record);
        return inboxes.values().stream().filter(inbox -> inbox.topic().equals(original)).toList();
    }

    private static String originalTopic(ConsumerRecord<String, String> record) {
        Header topic = record.headers().lastHeader("dead-letter-topic");
        if (topic != null) {
            return new String(topic.value(), StandardCharsets.UTF_8);
        }
        String name = record.topic();
        return name.endsWith(".dlq") ? name.substring(0, name.length() - ".dlq".length()) : name;
    }

    private Map<String, Inbox> inboxesByConsumer() {
        Map<String, Inbox> byConsumer = new LinkedHashMap<>();
        for (EventHandler handler : handlers) {
            for (Inbox inbox : handler.inboxes()) {
                byConsumer.put(eventConsumer.nameOf(inbox), inbox);
            }
        }
        return byConsumer;
    }

    /** Where a dead letter sits: {@code <dead-letter topic>:<partition>:<offset>}, its id. */
    record Location(String topic, int partition, long offset) {
        static Location of(ConsumerRecord<?, ?> record) {
            return new Location(record.topic(), record.partition(), record.offset());
        }

        static Location parse(String id) {
            String[] parts = id == null ? new String[0] : id.split(":");
            try {
                if (parts.length == 3 && parts[0].endsWith(".dlq")) {
                    return new Location(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw ProblemException.notFound("the dead letter " + id + " (ids look like pv.review.events.dlq:0:17)");
        }

        String id() {
            return topic + ":" + partition + ":" + offset;
        }
    }

    private List<ConsumerRecord<String, String>> readAll(Collection<Inbox> inboxes) {
        List<String> topics = inboxes.stream().map(inbox -> Topics.deadLetter(inbox.topic())).distinct().toList();
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> kafka = kafka()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = kafka.partitionsFor(topic, config.kafkaTimeout());
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            if (partitions.isEmpty()) {
                return records;
            }
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(kafka.endOffsets(partitions, config.kafkaTimeout()));
            for (TopicPartition partition : partitions) {
                if (kafka.position(partition, config.kafkaTimeout()) >= end.get(partition)) {
                    end.remove(partition);
                }
            }
            long deadline = System.nanoTime() + config.kafkaTimeout().multipliedBy(5).toNanos();
            while (!end.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading the dead-letter topics took too long");
                }
                for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    Long last = end.get(partition);
                    if (last == null || record.offset() >= last) {
                        continue;
                    }
                    records.add(record);
                    if (record.offset() >= last - 1) {
                        end.remove(partition);
                    }
                }
            }
        }
        return records;
    }

    private Optional<ConsumerRecord<String, String>> readOne(Location at) {
        try (KafkaConsumer<String, String> kafka = kafka()) {
            TopicPartition partition = new TopicPartition(at.topic(), at.partition());
            List<PartitionInfo> infos = kafka.partitionsFor(at.topic(), config.kafkaTimeout());
            if (infos == null || infos.stream().noneMatch(p -> p.partition() == at.partition())) {
                return Optional.empty();
            }
            kafka.assign(List.of(partition));
            long end = kafka.endOffsets(List.of(partition), config.kafkaTimeout()).get(partition);
            if (at.offset() >= end) {
                return Optional.empty();
            }
            kafka.seek(partition, at.offset());
            long deadline = System.nanoTime() + config.kafkaTimeout().multipliedBy(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(200))) {
                    if (record.offset() == at.offset()) {
                        return Optional.of(record);
                    }
                    if (record.offset() > at.offset()) {
                        return Optional.empty(); // compacted or deleted by retention
                    }
                }
            }
            throw new TimeoutException("reading the dead letter took too long");
        }
    }

    private KafkaConsumer<String, String> kafka() {
        int timeout = (int) config.kafkaTimeout().toMillis();
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        config.put(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) Math.min(timeout, 1000));
        config.put(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) timeout);
        return new KafkaConsumer<>(config);
    }

    /**
     * Runs a blocking Kafka read on a worker thread and comes back to the caller's Vert.x context,
     * where its transaction lives (SessionSql's connection, or Hibernate Reactive's session).
     */
    private static <T> Uni<T> blocking(Supplier<T> read) {
        Context context = Vertx.currentContext();
        Uni<T> onWorker = Uni.createFrom().item(read).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return context == null ? onWorker : onWorker.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
