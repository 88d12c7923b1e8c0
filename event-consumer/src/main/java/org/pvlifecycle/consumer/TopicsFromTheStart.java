package org.pvlifecycle.consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.UnreadableEventException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads every partition of some topics from its beginning up to where it ended when the read
 * began: what a read model is rebuilt from ({@code POST /admin/replay}); the live consumers take
 * everything after. The events of each poll reach the handler together, in partition order, so it
 * can write them as one batch. A record that cannot be read is counted and skipped (the live
 * consumer already sent it to the dead-letter topic). Blocking: run it on a thread of its own.
 */
public final class TopicsFromTheStart {

    /** An event and the topic it was read from. */
    public record Read(String topic, EventEnvelope<LifecycleEvent> event) {
    }

    /** Records read so far, and how many of them could not be read as events. */
    public record Progress(long read, long unreadable) {
    }

    @FunctionalInterface
    public interface Handler {
        /** One poll's events, with the progress counted up to and including them. */
        void accept(List<Read> batch, Progress soFar) throws Exception;
    }

    public static Progress read(String bootstrapServers, List<String> topics, int maxPoll, Handler handler)
            throws Exception {
        long read = 0;
        long unreadable = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPoll))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            end.entrySet().removeIf(e -> e.getValue() == 0);
            while (!end.isEmpty()) {
                List<Read> batch = new ArrayList<>();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    Long last = end.get(tp);
                    if (last == null || record.offset() >= last) {
                        continue;
                    }
                    if (record.offset() == last - 1) {
                        end.remove(tp);
                    }
                    read++;
                    try {
                        batch.add(new Read(record.topic(), CloudEventReader.read(CloudEventReader.headers(record.headers()), record.value())));
                    } catch (UnreadableEventException e) {
                        unreadable++;
                    }
                }
                handler.accept(batch, new Progress(read, unreadable));
            }
        }
        return new Progress(read, unreadable);
    }

    /**
     * Fails fast, with Kafka's {@link org.apache.kafka.common.errors.TimeoutException} (a 503 to a
     * request), when no broker answers within {@code within}: a replay asked for while Kafka is
     * away is refused at once instead of failing later where no one sees it. Blocking.
     */
    public static void requireReachable(String bootstrapServers, Duration within) {
        int millis = (int) within.toMillis();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) Math.min(millis, 1000),
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) millis))) {
            admin.describeCluster().nodes().get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("Kafka did not answer within " + within, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.TimeoutException("interrupted while reaching Kafka", e);
        }
    }

    private TopicsFromTheStart() {
    }
}
