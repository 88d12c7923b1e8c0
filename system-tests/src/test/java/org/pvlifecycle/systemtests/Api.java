package org.pvlifecycle.systemtests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.testkit.TestTokens;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The stack's REST API as users call it, over loopback; every answer classified, none thrown. */
final class Api {
    static final String OWNER = "alice";
    static final String SPEC = """
            # PV Calls v2
            ## XenStore handshake
            The frontend writes ring-ref.
            ## ABI
            Little-endian.
            ## Protocol operation
            One ring.
            """;
    static final List<String> COMPONENTS = List.of("linux-frontend", "qemu-backend");
    /** Long enough for a service under load on two cores; longer means the service is stuck. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Stack stack;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String owner = TestTokens.mint(OWNER, "contributor");
    private final String operator = TestTokens.mint("ops", "operator");

    Api(Stack stack) {
        this.stack = stack;
    }

    Answer send(Command command) {
        String id = command.proposalId();
        return switch (command.kind()) {
            case SUBMIT -> post("proposal-service", "/proposals", owner, Map.of("id", id, "title", "PV Calls " + id,
                    "summary", "Socket calls over a shared ring", "components", COMPONENTS, "spec", SPEC));
            case REVISE -> post("proposal-service", "/proposals/" + id + "/revisions", owner,
                    Map.of("spec", SPEC + "\n" + command.marker() + "\n", "note", command.marker()));
            case ACK -> post("review-service", "/proposals/" + id + "/acks",
                    TestTokens.mint(command.marker(), "reviewer"),
                    Map.of("kind", pick(List.of("ACKED_BY", "REVIEWED_BY", "TESTED_BY")), "component", pick(COMPONENTS)));
            case OBJECT -> post("review-service", "/proposals/" + id + "/objections",
                    TestTokens.mint(command.marker(), "reviewer"), Map.of("category", "ABI", "section", "ABI",
                            "rationale", "The request id is 32 bits wide but the ring can hold more entries."));
        };
    }

    /** The projection's full view of a proposal, without the instant it was asked at. */
    JsonNode view(String proposalId) {
        Answer answer = read("projection-service", "/proposals/" + proposalId);
        if (answer.outcome() != Outcome.ACCEPTED) {
            throw new IllegalStateException("the projection's view of " + proposalId + ": " + answer);
        }
        return answer.json().path("proposal");
    }

    Map<String, JsonNode> views(List<String> proposalIds) {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        proposalIds.forEach(id -> views.put(id, view(id)));
        return views;
    }

    /** {@code POST /admin/replay} on the projection. */
    Answer startReplay() {
        return post("projection-service", "/admin/replay", operator, null);
    }

    /** {@code GET /admin/replay}: the state of the last replay ({@code state}, {@code eventsRead}, ...). */
    JsonNode replayStatus() {
        return get("projection-service", "/admin/replay", operator).json();
    }

    /** A finished replay's status; fails when it does not finish in time. */
    JsonNode awaitReplay(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode status = replayStatus();
        while (status.path("state").asText().equals("RUNNING")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replay still runs after " + timeout + ": " + status);
            }
            Sleep.millis(200);
            status = replayStatus();
        }
        return status;
    }

    Answer deadLetters(String service) {
        return get(service, "/admin/dead-letters", operator);
    }

    Answer redrive(String service, String deadLetterId) {
        return post(service, "/admin/dead-letters/" + URLEncoder.encode(deadLetterId, StandardCharsets.UTF_8)
                + "/redrive", operator, null);
    }

    /** A read as the owner makes it; reads are open to any authenticated user. */
    Answer read(String service, String path) {
        return get(service, path, owner);
    }

    Answer get(String service, String path, String token) {
        return exchange(HttpRequest.newBuilder(stack.uri(service, path)).header("Authorization", token).GET());
    }

    /** {@code body} as JSON, or no body when null. */
    Answer post(String service, String path, String token, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.uri(service, path)).header("Authorization", token);
        return body == null ? exchange(request.POST(HttpRequest.BodyPublishers.noBody()))
                : exchange(request.header("Content-Type", "application/json").POST(json(body)));
    }

    /** A body that is not JSON, such as a list message ({@code message/rfc822}) or an archive. */
    Answer post(String service, String path, String token, String contentType, byte[] body) {
        return exchange(HttpRequest.newBuilder(stack.uri(service, path)).header("Authorization", token)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Answer put(String service, String path, String token, Object body) {
        return exchange(HttpRequest.newBuilder(stack.uri(service, path)).header("Authorization", token)
                .header("Content-Type", "application/json").PUT(json(body)));
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(EventJson.mapper().writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Answer exchange(HttpRequest.Builder request) {
        Instant sentAt = Instant.now();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(Outcome.ofStatus(response.statusCode()), response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null), response.body(), sentAt,
                    since(started));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return new Answer(Outcome.REFUSED, 0, "", null, e.toString(), sentAt, since(started));
        } catch (HttpTimeoutException e) {
            return new Answer(Outcome.TIMEOUT, 0, "", null, e.toString(), sentAt, since(started));
        } catch (IOException e) {
            return new Answer(Outcome.CUT, 0, "", null, e.toString(), sentAt, since(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static String pick(List<String> values) {
        return values.get(ThreadLocalRandom.current().nextInt(values.size()));
    }
}
