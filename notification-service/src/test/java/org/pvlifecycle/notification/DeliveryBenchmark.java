package org.pvlifecycle.notification;

import org.pvlifecycle.notification.delivery.DeliveryWorker;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestKafka;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.pvlifecycle.notification.Notifications.ALICE;
import static org.pvlifecycle.notification.Notifications.newProposal;
import static org.pvlifecycle.notification.Notifications.subscribe;

/**
 * Figures, not a test. (1) Webhook deliveries per second to a local receiver that answers 200 at
 * once, with 8 and with 64 in flight: the deliveries are planned first with sending held back,
 * then released, and timed until the receiver has them all. (2) Event on Kafka → webhook
 * received, p50/p99, at 100 events/s.
 * <pre>mvn -B -pl notification-service -am test -Dtest=DeliveryBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * ({@code -Dbench.deliveries=3000}, {@code -Dbench.rate=100}, {@code -Dbench.events=2000}).
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@QuarkusTestResource(SmtpTestResource.class)
class DeliveryBenchmark {
    static final int DELIVERIES = Integer.getInteger("bench.deliveries", 3000);
    static final int RATE = Integer.getInteger("bench.rate", 100);
    static final int EVENTS = Integer.getInteger("bench.events", 2000);
    static final Pattern EVENT_ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @Inject
    DeliveryWorker worker;

    final AtomicInteger received = new AtomicInteger();
    final Map<String, Long> receivedAt = new ConcurrentHashMap<>();

    @Test
    void measure() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/hook", exchange -> {
            long now = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher id = EVENT_ID.matcher(body);
            if (id.find()) {
                receivedAt.putIfAbsent(id.group(1), now);
            }
            received.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, 0))) {
            List<String> results = new ArrayList<>();
            for (int inFlight : new int[] {8, 64}) {
                results.add(throughput(producer, url, inFlight));
            }
            worker.limitInFlight(64);
            results.add(latency(producer, url));
            System.out.printf(Locale.ROOT, "%n=== DeliveryBenchmark ===%n%s%n%n", String.join("\n", results));
        } finally {
            server.stop(0);
        }
    }

    private String throughput(KafkaProducer<String, String> producer, String url, int inFlight) throws Exception {
        worker.limitInFlight(0);
        String proposal = newProposal();
        subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", url, "types", List.of("pv.proposal.revised.v1"),
                "proposal", proposal));
        for (int i = 0; i < DELIVERIES; i++) {
            send(producer, proposal, i, UUID.randomUUID().toString());
        }
        producer.flush();
        // Wait until every delivery is planned (each held back), then release them all at once.
        long planned = 0;
        for (int i = 0; i < 600 && planned < DELIVERIES; i++) {
            Thread.sleep(500);
            planned = pending(proposal);
        }
        int before = received.get();
        long start = System.nanoTime();
        worker.limitInFlight(inFlight);
        while (received.get() - before < DELIVERIES && System.nanoTime() - start < 300_000_000_000L) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int done = received.get() - before;
        return String.format(Locale.ROOT, "%d in flight: %d webhook deliveries in %.1f s = %.0f deliveries/s",
                inFlight, done, seconds, done / seconds);
    }

    private String latency(KafkaProducer<String, String> producer, String url) throws Exception {
        String proposal = newProposal();
        subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", url, "types", List.of("pv.proposal.revised.v1"),
                "proposal", proposal));
        Thread.sleep(1000);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long interval = 1_000_000_000L / RATE;
        long start = System.nanoTime();
        for (int i = 0; i < EVENTS; i++) {
            long due = start + i * interval;
            // Parked, not spinning: on two cores a spinning sender takes a core from the service it measures.
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            String id = UUID.randomUUID().toString();
            sentAt.put(id, System.nanoTime());
            send(producer, proposal, i, id);
        }
        long waitUntil = System.nanoTime() + 60_000_000_000L;
        while (!receivedAt.keySet().containsAll(sentAt.keySet()) && System.nanoTime() < waitUntil) {
            Thread.sleep(100);
        }
        long[] latencies = sentAt.entrySet().stream().filter(e -> receivedAt.containsKey(e.getKey()))
                .mapToLong(e -> receivedAt.get(e.getKey()) - e.getValue()).sorted().toArray();
        if (latencies.length == 0) {
            return "latency: nothing received";
        }
        return String.format(Locale.ROOT, "%d events at %d/s: event -> webhook received p50 %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms (%d of %d received)", EVENTS, RATE, latencies[latencies.length / 2] / 1e6,
                latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] / 1e6,
                latencies[latencies.length - 1] / 1e6, latencies.length, EVENTS);
    }

    private static void send(KafkaProducer<String, String> producer, String proposal, int i, String eventId) {
        ProposalRevised event = new ProposalRevised(proposal, i + 2, "# ABI\nrevision " + i, "bench", List.of(),
                List.of());
        EventType type = EventType.of(event);
        ProducerRecord<String, String> record = new ProducerRecord<>(type.topic(), proposal, EventJson.write(event));
        Map.of("ce_specversion", EventEnvelope.SPEC_VERSION, "ce_id", eventId, "ce_source", type.source(),
                        "ce_type", type.typeName(), "ce_subject", proposal, "ce_time", Instant.now().toString(),
                        "ce_sequence", String.valueOf(i + 2), "ce_actor", "alice",
                        "content-type", EventEnvelope.DATA_CONTENT_TYPE)
                .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        producer.send(record);
    }

    /** Pending deliveries of the proposal, from the operator's view of the delivery log. */
    private static long pending(String proposal) {
        long count = 0;
        for (int page = 0; ; page++) {
            List<Map<String, Object>> rows = io.restassured.RestAssured.given()
                    .header("Authorization", Notifications.OPS)
                    .when().get("/deliveries?status=PENDING&size=200&page=" + page)
                    .then().statusCode(200).extract().jsonPath().getList("$");
            count += rows.stream().filter(r -> proposal.equals(r.get("proposalId"))).count();
            if (rows.size() < 200) {
                return count;
            }
        }
    }
}
