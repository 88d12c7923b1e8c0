package org.pvlifecycle.consensus.bench;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestKafka;
import org.pvlifecycle.testkit.TopicProbe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Figures, not a test: the time from an event on {@code pv.review.events} to the matching
 * {@code eligibility-changed} on {@code pv.consensus.events}, at 200 events/s. Each review event
 * raises or withdraws the only objection of one of 20 proposals, so each one changes eligibility.
 * Also the rate the consumer took them in, from the first event sent to the last one matched: when
 * that is below the offered rate, the consumer is the bottleneck and the latencies are its queue.
 * The first seconds at the rate are a warm-up, not counted ({@code -Dbench.warmup}, 10 s); the rate
 * and the number of measured events are {@code -Dbench.rate} and {@code -Dbench.events}.
 * <pre>mvn -B -pl consensus-service -am test -Dtest=ReviewToEligibilityBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class ReviewToEligibilityBenchmark {
    static final int RATE = Integer.getInteger("bench.rate", 200);
    static final int EVENTS = Integer.getInteger("bench.events", 4000);
    /** Seconds sent at the rate before the measured events and not counted: the JIT's and the pools' warm-up. */
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 10);
    static final int PROPOSALS = 20;

    @Test
    void measure() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PROPOSALS; i++) {
            String id = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            TopicProbe.publish(new ProposalSubmitted(id, "Bench", "", "alice", List.of("linux-frontend"), 1, "# s",
                    List.of(), List.of()), "alice");
            ids.add(id);
        }
        Thread.sleep(5000);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Instant> sentTime = new ConcurrentHashMap<>();
        List<Long> decided = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong lastMatched = new AtomicLong();
        Thread reader = new Thread(() -> read(sentAt, latencies, lastMatched, sentTime, decided), "bench-reader");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(2000);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, 0))) {
            long interval = 1_000_000_000L / RATE;
            long start = System.nanoTime();
            int[] round = new int[PROPOSALS];
            int warmup = WARMUP_SECONDS * RATE;
            for (int i = 0; i < warmup + EVENTS; i++) {
                long due = start + i * interval;
                // Parked, not spinning: on two cores a spinning sender takes a core from the consumer it measures.
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                int p = i % PROPOSALS;
                String id = ids.get(p);
                String oid = id + ".o" + (round[p] / 2 + 1);
                LifecycleEvent event = round[p] % 2 == 0
                        ? new ObjectionRaised(id, oid, Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                                "A rationale that is long enough to count.", false)
                        : new ObjectionWithdrawn(id, oid, "done");
                round[p]++;
                String type = round[p] % 2 == 1 ? "pv.review.objection-raised.v1" : "pv.review.objection-withdrawn.v1";
                ProducerRecord<String, String> record = new ProducerRecord<>(Topics.REVIEW, id, EventJson.write(event));
                Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", "/review-service",
                                "ce_type", type, "ce_subject", id, "ce_time", Instant.now().toString(),
                                "ce_sequence", String.valueOf(round[p]), "ce_actor", "carol",
                                "content-type", "application/json")
                        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                if (i >= warmup) {
                    sentAt.put(id + "#" + round[p], System.nanoTime());
                    sentTime.put(id + "#" + round[p], Instant.now());
                }
                producer.send(record);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "sent %d review events in %.1f s (%.0f/s), the first %d (%d s) as a warm-up%n",
                    warmup + EVENTS, seconds, (warmup + EVENTS) / seconds, warmup, WARMUP_SECONDS);
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (latencies.size() < EVENTS && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        long firstSent = sentAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long[] sorted;
        synchronized (latencies) {
            sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        }
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%n=== ReviewToEligibilityBenchmark: %d events at %d/s after a %d s warm-up, "
                + "%d eligibility-changed matched ===%n", EVENTS, RATE, WARMUP_SECONDS, sorted.length);
        if (sorted.length > 0) {
            System.out.printf(Locale.ROOT, "review event -> eligibility-changed p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    sorted[sorted.length / 2] / 1e6, sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                    sorted[sorted.length - 1] / 1e6);
            long[] byTime;
            synchronized (decided) {
                byTime = decided.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            System.out.printf(Locale.ROOT, "of which up to the eligibility-changed's own time (consumed and decided, "
                            + "before its transaction commits and the outbox relay publishes it): p50 %.1f ms, p99 %.1f ms%n",
                    byTime[byTime.length / 2] / 1e6,
                    byTime[(int) Math.min(byTime.length - 1, Math.ceil(byTime.length * 0.99) - 1)] / 1e6);
            System.out.printf(Locale.ROOT, "consumed %d events in %.1f s: %.0f events/s%n%n", sorted.length,
                    (lastMatched.get() - firstSent) / 1e9, sorted.length / ((lastMatched.get() - firstSent) / 1e9));
        }
    }

    /** Matches each eligibility-changed to the review event that caused it: per proposal, in order. */
    private static void read(Map<String, Long> sentAt, List<Long> latencies, AtomicLong lastMatched,
            Map<String, Instant> sentTime, List<Long> decided) {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONSENSUS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    if (!"pv.consensus.eligibility-changed.v1".equals(TopicProbe.header(r, "ce_type"))
                            || !r.value().contains("OBJECTION_BLOCKING") && !r.value().contains("WINDOW")
                            && !r.value().contains("NO_REVIEW")) {
                        continue;
                    }
                    // Rounds alternate per proposal: odd ones raise o(n), even ones withdraw it.
                    int round = seen.getOrDefault(r.key(), 1);
                    String oid = r.key() + ".o" + ((round + 1) / 2);
                    boolean matches = round % 2 == 1 ? r.value().contains("\"" + oid + "\"")
                            : !r.value().contains("OBJECTION_BLOCKING");
                    if (!matches) {
                        continue;
                    }
                    seen.put(r.key(), round + 1);
                    Long sent = sentAt.get(r.key() + "#" + round);
                    if (sent != null) {
                        latencies.add(now - sent);
                        decided.add(Duration.between(sentTime.get(r.key() + "#" + round),
                                Instant.parse(TopicProbe.header(r, "ce_time"))).toNanos());
                        lastMatched.set(now);
                    }
                }
            }
        }
    }
}
