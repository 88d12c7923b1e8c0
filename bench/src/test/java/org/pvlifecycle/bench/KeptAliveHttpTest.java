package org.pvlifecycle.bench;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bench's own HTTP client against a real HTTP server (the JDK's): each answer is read to its
 * end, whether its length is given or it comes in chunks, so the next request on the same
 * connection reads its own answer; a POST's body arrives whole.
 */
class KeptAliveHttpTest {
    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fixed", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"answer\":\"fixed\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("POST") ? 201 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/chunked", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.sendResponseHeaders(404, 0); // 0: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 3; i++) {
                    out.write(("part " + i + " ").repeat(1000).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void answersOfEitherKindAreReadWholeAndTheConnectionIsKept() throws IOException {
        try (KeptAliveHttp http = new KeptAliveHttp(server.getAddress().getPort())) {
            assertThat(http.exchange("GET", "/fixed?stage=DESIGN", "Bearer a", null, null)).isEqualTo(200);
            assertThat(http.exchange("GET", "/chunked", "Bearer a", null, null)).isEqualTo(404);
            assertThat(http.exchange("POST", "/fixed", "Bearer b", "application/json",
                    "{\"title\":\"PV Calls ✓\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(201);
            assertThat(http.exchange("GET", "/chunked", "Bearer a", null, null)).isEqualTo(404);
            assertThat(http.exchange("GET", "/fixed", "Bearer c", null, null)).isEqualTo(200);
        }
        assertThat(clientPorts).as("one connection for every request").hasSize(1);
        assertThat(received).containsExactly("GET /fixed?stage=DESIGN Bearer a ",
                "POST /fixed Bearer b {\"title\":\"PV Calls ✓\"}", "GET /fixed Bearer c ");
    }

    @Test
    void aClosedConnectionFailsTheRequestAsStaleAndTheNextOneConnectsAgain() throws IOException {
        try (KeptAliveHttp http = new KeptAliveHttp(server.getAddress().getPort())) {
            assertThat(http.exchange("GET", "/fixed", "Bearer a", null, null)).isEqualTo(200);
            int port = server.getAddress().getPort();
            server.stop(0);
            assertThatThrownBy(() -> http.exchange("GET", "/fixed", "Bearer a", null, null))
                    .as("a reused connection the server closed: nothing reached it, so it may be sent again")
                    .isInstanceOf(HttpReading.StaleConnection.class);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/fixed", exchange -> {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            assertThat(http.exchange("GET", "/fixed", "Bearer a", null, null)).isEqualTo(204);
        }
    }

    @Test
    void aNoContentAnswerWithoutALengthHasNoBody() throws Exception {
        // Written by hand: a 204 with neither Content-Length nor chunks, as Vert.x sends it, then a 200.
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicReference<Throwable> peerFailed = new java.util.concurrent.atomic.AtomicReference<>();
            Thread peer = new Thread(() -> {
                try (Socket s = raw.accept()) {
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    for (String answer : List.of("HTTP/1.1 204 No Content\r\n\r\n",
                            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")) {
                        while (!in.readLine().isEmpty()) {
                            // the request's head
                        }
                        out.write(answer.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (IOException | RuntimeException e) {
                    peerFailed.set(e);
                }
            });
            peer.start();
            try (KeptAliveHttp http = new KeptAliveHttp(raw.getLocalPort())) {
                assertThat(http.exchange("GET", "/a", "Bearer a", null, null)).isEqualTo(204);
                assertThat(http.exchange("GET", "/b", "Bearer a", null, null)).isEqualTo(200);
            }
            peer.join(5_000);
            assertThat(peer.isAlive()).isFalse();
            assertThat(peerFailed.get()).isNull();
        }
    }
}
