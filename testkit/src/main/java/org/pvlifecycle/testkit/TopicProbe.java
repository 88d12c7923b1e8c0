package org.pvlifecycle.testkit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Reads and writes a topic of the shared test broker with plain Kafka clients, outside the
 * service under test: what a real consumer would see is what the tests assert on.
 */
public final class TopicProbe {

    /** Every record on {@code topic} from the beginning, read until {@code done} holds or time runs out. */
    public static List<ConsumerRecord<String, String>> readUntil(String topic, Duration timeout,
            Predicate<List<ConsumerRecord<String, String>>> done) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            Instant deadline = Instant.now().plus(timeout);
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && Instant.now().isBefore(deadline)) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(seen) && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        return seen;
    }

    /** Writes one record with the given headers and waits for the broker to take it. */
    public static void send(String topic, String key, String value, Map<String, String> headers) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(record(topic, key, value, headers)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + topic, e.getCause());
        }
    }

    /**
     * Writes the records through one producer and waits for the broker to take them all: they
     * reach the topic back to back, as a consumer that fell behind finds them.
     */
    public static void sendAll(List<ProducerRecord<String, String>> records) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<Future<?>> sent = new ArrayList<>();
            records.forEach(record -> sent.add(producer.send(record)));
            for (Future<?> each : sent) {
                each.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write the records", e.getCause());
        }
    }

    /** A record with the given headers, for {@link #sendAll}. */
    public static ProducerRecord<String, String> record(String topic, String key, String value,
            Map<String, String> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /**
     * Publishes {@code event} as its owning service would: a binary-mode CloudEvent on its topic,
     * keyed by the proposal id. Returns the event id; pass the same id again to redeliver it.
     */
    public static String publish(LifecycleEvent event, String actor, String eventId) {
        return publishAt(event, actor, eventId, Instant.now());
    }

    /** As {@link #publish(LifecycleEvent, String, String)}, with the CloudEvents {@code time} given. */
    public static String publishAt(LifecycleEvent event, String actor, String eventId, Instant time) {
        EventType type = EventType.of(event);
        send(type.topic(), event.proposalId(), EventJson.write(event), Map.of(
                "ce_specversion", EventEnvelope.SPEC_VERSION,
                "ce_id", eventId,
                "ce_source", type.source(),
                "ce_type", type.typeName(),
                "ce_subject", event.proposalId(),
                "ce_time", time.toString(),
                "ce_sequence", "1",
                "ce_actor", actor,
                "content-type", EventEnvelope.DATA_CONTENT_TYPE));
        return eventId;
    }

    public static String publish(LifecycleEvent event, String actor) {
        return publish(event, actor, UUID.randomUUID().toString());
    }

    /** The value of a header as text, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private TopicProbe() {
    }
}
