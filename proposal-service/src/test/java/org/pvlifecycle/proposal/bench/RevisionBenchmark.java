package org.pvlifecycle.proposal.bench;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestDatabase;
import org.pvlifecycle.testkit.TestTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Figures, not a test: how fast {@code POST /proposals/{id}/revisions} accepts commands (each is
 * a decision on the state kept after the proposal's last command and one statement appending the
 * event and its outbox row, which commits by itself), and, in the same
 * run against the same PostgreSQL, the raw rate of single-row autocommit inserts — the floor our
 * append path is measured against. Not run by the test command (its name matches no pattern):
 * <pre>mvn -B -pl proposal-service -am test -Dtest=RevisionBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Tune with {@code -Dbench.clients=8 -Dbench.commands=4000 -Dbench.warmup=400}. Add
 * {@code -Dsurefire.argLine="-Xmx1g -XX:TieredStopAtLevel=1"} to run it as {@code ./pvl} runs the
 * services, C1 only: with C2 the compiler threads took 40–60 % of a core throughout a run of this
 * length (the test's JVM also holds Kafka and the clients), and the rate then half of what it is
 * after a minute's warm-up or with C1 alone.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class RevisionBenchmark {
    static final int CLIENTS = Integer.getInteger("bench.clients", 8);
    static final int COMMANDS = Integer.getInteger("bench.commands", 4000);
    static final int WARMUP = Integer.getInteger("bench.warmup", 400);
    /**
     * The spec each revision carries: by default two lines; -Dbench.spec=pvcalls.pandoc (or another
     * file of src/test/resources/xen-specs) sends a real Xen PV spec, tens of KB, as contributors do.
     */
    static final String SPEC = spec(System.getProperty("bench.spec"));

    @TestHTTPResource("/")
    URI base;

    @Test
    void measure() throws Exception {
        String token = TestTokens.mint("bench", "contributor");
        // HTTP/1.1, as wrk and the stack's bench send: over http:// the JDK's client would otherwise
        // upgrade to HTTP/2 and carry every client's requests on one connection, which one event
        // loop of the service serves alone.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(CLIENTS)).build();
        // One proposal per client: revisions of one proposal serialize on its version by design.
        List<String> proposals = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String id = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            send(http, token, "proposals", "{\"id\":\"" + id + "\",\"title\":\"Bench\",\"summary\":\"\","
                    + "\"components\":[\"linux-frontend\"],\"spec\":\"# ABI\"}", 201);
            proposals.add(id);
        }
        run(http, token, proposals, WARMUP);
        long[] latencies = new long[COMMANDS];
        long started = System.nanoTime();
        int index = run(http, token, proposals, COMMANDS, latencies);
        double seconds = (System.nanoTime() - started) / 1e9;

        double insertsPerSecond = rawInserts(COMMANDS);

        Arrays.sort(latencies, 0, index);
        System.out.printf(Locale.ROOT, "%n=== RevisionBenchmark: %d clients, %d revisions, specs of %,d characters ===%n",
                CLIENTS, index, SPEC.length());
        System.out.printf(Locale.ROOT, "accepted commands/s     %10.1f%n", index / seconds);
        System.out.printf(Locale.ROOT, "latency p50 / p99 (ms)  %10.2f / %.2f%n",
                latencies[index / 2] / 1e6, latencies[(int) Math.min(index - 1, Math.ceil(index * 0.99) - 1)] / 1e6);
        System.out.printf(Locale.ROOT, "raw PostgreSQL single-row inserts/s (same clients) %10.1f%n", insertsPerSecond);
        System.out.printf(Locale.ROOT, "append path / database floor                   %10.2f%n%n",
                (index / seconds) / insertsPerSecond);
    }

    private void run(HttpClient http, String token, List<String> proposals, int commands) throws Exception {
        run(http, token, proposals, commands, new long[commands]);
    }

    private int run(HttpClient http, String token, List<String> proposals, int commands, long[] latencies)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            int perClient = commands / CLIENTS;
            for (int c = 0; c < CLIENTS; c++) {
                String id = proposals.get(c);
                int offset = c * perClient;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        long t0 = System.nanoTime();
                        send(http, token, "proposals/" + id + "/revisions", EventJson.mapper().writeValueAsString(
                                Map.of("spec", SPEC + "\nrevision " + i, "note", "bench")), 201);
                        latencies[offset + i] = System.nanoTime() - t0;
                    }
                    return perClient;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }

    private static String spec(String file) {
        if (file == null || file.isBlank()) {
            return "# ABI";
        }
        try (var in = RevisionBenchmark.class.getResourceAsStream("/xen-specs/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no spec " + file + " in src/test/resources/xen-specs");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void send(HttpClient http, String token, String path, String json, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Single-row autocommit inserts by the same number of clients, of a row shaped like an event. */
    private double rawInserts(int rows) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password());
             Statement s = c.createStatement()) {
            s.execute("create table if not exists bench_inserts (id bigserial primary key, aggregate_id text, "
                    + "version bigint, payload text)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long started = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int me = client;
                done.add(pool.submit(() -> {
                    try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl(), TestDatabase.user(),
                            TestDatabase.password());
                         PreparedStatement insert = c.prepareStatement(
                                 "insert into bench_inserts (aggregate_id, version, payload) values (?, ?, ?)")) {
                        for (int i = 0; i < rows / CLIENTS; i++) {
                            insert.setString(1, "client-" + me);
                            insert.setLong(2, i);
                            insert.setString(3, "{\"spec\":\"# ABI\\nrevision " + i + "\"}");
                            insert.executeUpdate();
                        }
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
        return (rows / CLIENTS * CLIENTS) / ((System.nanoTime() - started) / 1e9);
    }
}
