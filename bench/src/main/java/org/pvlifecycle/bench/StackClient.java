package org.pvlifecycle.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.localstack.LocalIdentityProvider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The stack ./pvl runs, as its users call it: loopback HTTP with tokens of the local identity provider. */
final class StackClient implements AutoCloseable {
    static final String SPEC = """
            # PV Calls v2
            ## XenStore handshake
            The frontend writes ring-ref and event-channel.
            ## ABI
            Little-endian, 64-byte requests.
            ## Protocol operation
            One ring per socket.
            """;
    /** Every service ./pvl runs, in its order (the tables list them so), with its port. */
    static final Map<String, Integer> PORTS = ports("proposal-service", 8081, "review-service", 8082,
            "consensus-service", 8083, "projection-service", 8084, "notification-service", 8085,
            "mail-service", 8086);

    private static Map<String, Integer> ports(Object... namesAndPorts) {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndPorts.length; i += 2) {
            ports.put((String) namesAndPorts[i], (Integer) namesAndPorts[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(ports);
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final String owner;
    private final LocalIdentityProvider identity;
    private final String issuer;
    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    StackClient(Path keys, String issuer) {
        this.identity = LocalIdentityProvider.in(keys);
        this.issuer = issuer;
        this.owner = token("alice", "contributor");
    }

    /**
     * A user's token, made once and sent with each of their requests, as a client keeps its token
     * until it expires: a new token per request would have each service verify an RS256 signature
     * every time, a cost its users do not bring (the services keep verified tokens for a while).
     */
    String token(String subject, String... roles) {
        return tokens.computeIfAbsent(subject + " " + String.join(",", roles),
                key -> "Bearer " + identity.token(issuer, subject, Duration.ofHours(2), roles));
    }

    static URI uri(String service, String path) {
        return URI.create("http://127.0.0.1:" + PORTS.get(service) + path);
    }

    int submit(String id) throws Exception {
        return post("proposal-service", "/proposals", owner, Map.of("id", id, "title", "PV Calls " + id,
                "summary", "Socket calls over a shared ring", "components", List.of("linux-frontend"), "spec", SPEC));
    }

    int revise(String id, long sequence) throws Exception {
        return post("proposal-service", "/proposals/" + id + "/revisions", owner,
                Map.of("spec", SPEC + "\nrevision " + sequence + "\n", "note", "revision " + sequence));
    }

    int object(String id, String reviewer) throws Exception {
        return post("review-service", "/proposals/" + id + "/objections", token(reviewer, "reviewer"),
                Map.of("category", "ABI", "section", "ABI",
                        "rationale", "The request id is 32 bits wide but the ring can hold more entries."));
    }

    int get(String service, String path) throws Exception {
        return exchange(service, "GET", path, owner, null);
    }

    /** The projection's {@code pvl_stream_log_reads_total} by reader (tail, catch-up), from its metrics. */
    Map<String, Double> streamLogReads() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("projection-service", "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        String metrics = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> reads = new java.util.HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^pvl_stream_log_reads_total\\{[^}]*reader=\"([^\"]+)\"[^}]*\\} ([0-9.eE+-]+)$")
                .matcher(metrics);
        while (m.find()) {
            reads.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
        return reads;
    }

    int post(String service, String path, String token, Object body) throws Exception {
        return exchange(service, "POST", path, token, json(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Idle connections to each port; a request borrows one, or opens one when none is idle. */
    private final Map<Integer, Queue<KeptAliveHttp>> idle = new ConcurrentHashMap<>();

    private int exchange(String service, String method, String path, String token, byte[] json) throws IOException {
        int port = PORTS.get(service);
        Queue<KeptAliveHttp> connections = idle.computeIfAbsent(port, p -> new ConcurrentLinkedQueue<>());
        KeptAliveHttp connection = connections.poll();
        int status;
        try {
            status = (connection != null ? connection : (connection = new KeptAliveHttp(port)))
                    .exchange(method, path, token, "application/json", json);
        } catch (HttpReading.StaleConnection stale) {
            // An idle connection the service closed (the jvm part restarts services between
            // figures) before the request reached it: sent once more, on a new connection.
            connection = new KeptAliveHttp(port);
            status = connection.exchange(method, path, token, "application/json", json);
        }
        connections.offer(connection);
        return status;
    }

    @Override
    public void close() {
        idle.values().forEach(connections -> connections.forEach(KeptAliveHttp::close));
        idle.clear();
    }

    private static String json(Object body) {
        try {
            return EventJson.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
