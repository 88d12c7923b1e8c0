package org.pvlifecycle.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The review service as the mail service sees it, on loopback: a real HTTP server (the JDK's) that
 * records every call it gets and answers the mail gateway's commands as docs/api.md says the
 * review service does (201 with an ack or objection id, the objection view after a step, 200 for
 * an ack that is live already). It can be taken away (the port then refuses connections) and brought
 * back on the same port, and told to refuse the objections raised on one proposal with a 409.
 *
 * <p>Quarkus loads test classes and test resources in class loaders of its own, so a static field
 * would give each its own server. There is one per JVM instead, as for the testkit's broker: it
 * belongs to the copy of this class that the system class loader holds, and the other copies reach
 * it through a handle of JDK types only (a map of the URL, the list of calls, and the controls as
 * functions).
 */
final class ReviewStandIn {
    private static Map<String, Object> home;

    /** One call as received. */
    record Call(String method, String path, String authorization, String contentType, JsonNode body) {
    }

    private final Map<String, Object> handle;

    private ReviewStandIn(Map<String, Object> handle) {
        this.handle = handle;
    }

    static ReviewStandIn jvmWide() {
        return new ReviewStandIn(handle());
    }

    /** The JVM-wide server's handle, started on first use. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> handle() {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (ReviewStandIn.class.getClassLoader() != system) {
            try {
                Class<?> jvmWide = Class.forName(ReviewStandIn.class.getName(), true, system);
                java.lang.reflect.Method handle = jvmWide.getDeclaredMethod("handle");
                handle.setAccessible(true);
                return (Map<String, Object>) handle.invoke(null);
            } catch (ClassNotFoundException notOnTheSystemPath) {
                // This copy is the only one.
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot reach the JVM-wide review stand-in", e);
            }
        }
        synchronized (ReviewStandIn.class) {
            if (home == null) {
                home = Server.start().handle();
            }
            return home;
        }
    }

    String url() {
        return (String) handle.get("url");
    }

    /** Stops answering: connections to its port are refused. */
    void away() {
        ((Runnable) handle.get("away")).run();
    }

    /** Answers again, on the same port. */
    void back() {
        ((Runnable) handle.get("back")).run();
    }

    /** Refuses every raise of an objection on {@code proposal} with a 409 and {@code detail}. */
    @SuppressWarnings("unchecked")
    void refuseObjectionsOn(String proposal, String detail) {
        ((java.util.function.BiConsumer<String, String>) handle.get("refuse")).accept(proposal, detail);
    }

    /** Every call so far, in order. */
    @SuppressWarnings("unchecked")
    List<Call> calls() {
        return ((List<List<String>>) handle.get("calls")).stream().map(c -> {
            try {
                return new Call(c.get(0), c.get(1), c.get(2), c.get(3), c.get(4).isEmpty() ? JSON.nullNode() : JSON.readTree(c.get(4)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** The calls about {@code proposal} (its acks and objections, and the steps of its objections). */
    List<Call> callsAbout(String proposal) {
        return calls().stream().filter(c -> c.path().startsWith("/proposals/" + proposal + "/")
                || c.path().startsWith("/objections/" + proposal + ".o")).toList();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The server itself, in the copy of this class that started it. */
    private static final class Server {
        private static final Pattern ACKS = Pattern.compile("^/proposals/([^/]+)/acks$");
        private static final Pattern ACK = Pattern.compile("^/proposals/([^/]+)/acks/([^/]+)$");
        private static final Pattern OBJECTIONS = Pattern.compile("^/proposals/([^/]+)/objections$");
        private static final Pattern STEP = Pattern.compile("^/objections/([^/]+)/(answers|reaffirmations|withdrawal)$");
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> objectionNumbers = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> ackNumbers = new ConcurrentHashMap<>();
        private final Map<String, String> liveAcks = new ConcurrentHashMap<>();
        private final Map<String, ObjectNode> objections = new ConcurrentHashMap<>();
        private final Map<String, String> refusing = new ConcurrentHashMap<>();
        private final int port;
        private volatile HttpServer server;

        private Server(int port) {
            this.port = port;
        }

        static Server start() {
            try {
                HttpServer first = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                Server server = new Server(first.getAddress().getPort());
                server.serve(first);
                return server;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        Map<String, Object> handle() {
            Map<String, Object> handle = new ConcurrentHashMap<>();
            handle.put("url", "http://127.0.0.1:" + port);
            handle.put("calls", calls);
            handle.put("away", (Runnable) this::away);
            handle.put("back", (Runnable) this::back);
            handle.put("refuse", (java.util.function.BiConsumer<String, String>) refusing::put);
            return handle;
        }

        synchronized void away() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }

        synchronized void back() {
            try {
                serve(HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void serve(HttpServer s) {
            s.setExecutor(Executors.newFixedThreadPool(4));
            s.createContext("/", this::handle);
            s.start();
            server = s;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                JsonNode body = text.isEmpty() ? JSON.nullNode() : JSON.readTree(text);
                String method = exchange.getRequestMethod();
                calls.add(List.of(method, path, String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                        String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")), text));
                Matcher m;
                if (method.equals("POST") && (m = ACKS.matcher(path)).matches()) {
                    String key = m.group(1) + "/" + body.path("actor").asText() + "/" + body.path("kind").asText() + "/"
                            + body.path("component").asText();
                    String existing = liveAcks.get(key);
                    if (existing != null) {
                        answer(exchange, 200, JSON.createObjectNode().put("ackId", existing));
                        return;
                    }
                    String ackId = m.group(1) + ".a" + ackNumbers.computeIfAbsent(m.group(1), k -> new AtomicInteger()).incrementAndGet();
                    liveAcks.put(key, ackId);
                    answer(exchange, 201, JSON.createObjectNode().put("ackId", ackId));
                } else if (method.equals("DELETE") && (m = ACK.matcher(path)).matches()) {
                    String ackId = m.group(2);
                    boolean removed = liveAcks.values().removeIf(ackId::equals);
                    answer(exchange, removed ? 204 : 404, removed ? null : problem(404, "no live ack " + ackId));
                } else if (method.equals("POST") && (m = OBJECTIONS.matcher(path)).matches()) {
                    String proposal = m.group(1);
                    if (refusing.containsKey(proposal)) {
                        answer(exchange, 409, problem(409, refusing.get(proposal)));
                        return;
                    }
                    String oid = proposal + ".o" + objectionNumbers.computeIfAbsent(proposal, k -> new AtomicInteger()).incrementAndGet();
                    ObjectNode view = JSON.createObjectNode().put("objectionId", oid).put("proposal", proposal)
                            .put("author", body.path("actor").asText()).put("status", "OPEN");
                    view.putArray("thread").add(entry("RAISED", body.path("actor").asText(), body.path("rationale").asText()));
                    objections.put(oid, view);
                    answer(exchange, 201, JSON.createObjectNode().put("objectionId", oid).put("late", false));
                } else if (method.equals("POST") && (m = STEP.matcher(path)).matches()) {
                    ObjectNode view = objections.get(m.group(1));
                    if (view == null) {
                        answer(exchange, 404, problem(404, "objection " + m.group(1) + " does not exist"));
                        return;
                    }
                    Map<String, String[]> steps = new HashMap<>(Map.of("answers", new String[] {"ANSWERED", "201"},
                            "reaffirmations", new String[] {"REAFFIRMED", "201"}, "withdrawal", new String[] {"WITHDRAWN", "202"}));
                    String[] step = steps.get(m.group(2));
                    view.put("status", step[0]);
                    ((ArrayNode) view.get("thread")).add(entry(step[0], body.path("actor").asText(), body.path("text").asText(null)));
                    answer(exchange, Integer.parseInt(step[1]), view);
                } else {
                    answer(exchange, 404, problem(404, "There is nothing at " + path));
                }
            }
        }

        private static ObjectNode entry(String kind, String author, String text) {
            return JSON.createObjectNode().put("kind", kind).put("author", author).put("at", Instant.now().toString())
                    .put("text", text);
        }

        private static ObjectNode problem(int status, String detail) {
            return JSON.createObjectNode().put("type", "https://pv-lifecycle.org/problems/x").put("status", status)
                    .put("detail", detail);
        }

        private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
            if (body == null) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
