package org.pvlifecycle.projection.bench;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestDatabase;
import org.pvlifecycle.testkit.TestKafka;
import org.pvlifecycle.testkit.TestTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Figures, not a test. Reads: GET /proposals?stage=DESIGN and GET /proposals/{id} at 8 and 50
 * connections over 1,000 proposals, beside GET /q/health/live on the same service (the stack's
 * floor). Replay: events/s rebuilding from 100,000 events, beside batched inserts of as many rows
 * into the same PostgreSQL.
 * <pre>mvn -B -pl projection-service -am test -Dtest=ReadAndReplayBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class ReadAndReplayBenchmark {
    static final int PROPOSALS = Integer.getInteger("bench.proposals", 1000);
    static final int EVENTS = Integer.getInteger("bench.events", 100_000);
    static final int REQUESTS = Integer.getInteger("bench.requests", 4000);
    static final String TOKEN = TestTokens.mint("bench", "operator", "contributor");

    @TestHTTPResource("/")
    URI base;

    @Test
    void measure() throws Exception {
        List<String> ids = publish();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2)).until(() -> given()
                .header("Authorization", TOKEN).when().get("/proposals?size=1&page=" + (PROPOSALS - 1)).then()
                .extract().jsonPath().getList("items").size() == 1);
        System.out.printf(Locale.ROOT, "%n=== ReadAndReplayBenchmark: %d proposals, %d events ===%n", PROPOSALS, EVENTS);
        for (int connections : new int[] {8, 50}) {
            load("GET /proposals?stage=DESIGN", connections, i -> "proposals?stage=DESIGN&size=20");
            load("GET /proposals/{id}", connections, i -> "proposals/" + ids.get(i % ids.size()));
            load("GET /q/health/live (floor)", connections, i -> "q/health/live");
        }
        Instant started = Instant.now();
        given().header("Authorization", TOKEN).when().post("/admin/replay").then().statusCode(202);
        await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(1)).until(() -> "DONE".equals(given()
                .header("Authorization", TOKEN).when().get("/admin/replay").then().extract().path("state")));
        var status = given().header("Authorization", TOKEN).when().get("/admin/replay").then().extract().jsonPath();
        System.out.printf(Locale.ROOT, "replay: %d events read, %d proposals rebuilt in %.1f s: %.0f events/s%n",
                status.getLong("eventsRead"), status.getLong("proposalsRebuilt"),
                Duration.between(started, Instant.now()).toMillis() / 1000.0, status.getDouble("eventsPerSecond"));
        System.out.printf(Locale.ROOT, "raw batched inserts of %d rows: %.0f rows/s%n%n", EVENTS, rawInserts());
    }

    private List<String> publish() {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, 20))) {
            for (int i = 0; i < PROPOSALS; i++) {
                String id = "bench-" + i + "-" + UUID.randomUUID().toString().substring(0, 4);
                ids.add(id);
                send(producer, new ProposalSubmitted(id, "Bench " + i, "benchmark proposal", "alice",
                        List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()));
            }
            for (int i = PROPOSALS; i < EVENTS; i++) {
                String id = ids.get(i % PROPOSALS);
                send(producer, new ObjectionRaised(id, id + ".o" + i, Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                        "A rationale that is long enough to count.", false));
            }
        }
        return ids;
    }

    private static void send(KafkaProducer<String, String> producer, LifecycleEvent event) {
        EventType type = EventType.of(event);
        ProducerRecord<String, String> record = new ProducerRecord<>(type.topic(), event.proposalId(), EventJson.write(event));
        Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", type.source(),
                        "ce_type", type.typeName(), "ce_subject", event.proposalId(), "ce_time", Instant.now().toString(),
                        "ce_sequence", "1", "ce_actor", "bench", "content-type", "application/json")
                .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        producer.send(record);
    }

    interface PathOf {
        String path(int i);
    }

    private void load(String name, int connections, PathOf paths) throws Exception {
        // HTTP/1.1, as wrk and the stack's bench send: over http:// the JDK's client would otherwise
        // upgrade to HTTP/2 and carry every client's requests on one connection, which one event
        // loop of the service serves alone.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(connections)).build();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long[] latencies = new long[REQUESTS];
        long started = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            int each = REQUESTS / connections;
            for (int c = 0; c < connections; c++) {
                int offset = c * each;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(paths.path(offset + i)))
                                .header("Authorization", TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(r.statusCode() + " " + r.body());
                        }
                        latencies[offset + i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        int n = REQUESTS / connections * connections;
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-28s %2d conns: %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms%n", name, connections,
                n / seconds, sorted[n / 2] / 1e6, sorted[(int) Math.ceil(n * 0.99) - 1] / 1e6);
    }

    private double rawInserts() throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password())) {
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists bench_rows (id bigserial primary key, event_id uuid, payload text)");
            }
            c.setAutoCommit(false);
            long started = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("insert into bench_rows (event_id, payload) values (?, ?)")) {
                for (int i = 0; i < EVENTS; i++) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setString(2, "{\"proposalId\":\"bench\",\"objectionId\":\"o" + i + "\",\"rationale\":\"A rationale that is long enough.\"}");
                    insert.addBatch();
                    if (i % 500 == 499) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
                insert.executeBatch();
                c.commit();
            }
            return EVENTS / ((System.nanoTime() - started) / 1e9);
        }
    }
}
