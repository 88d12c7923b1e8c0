package org.pvlifecycle.bench;

import org.pvlifecycle.events.EventJson;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One client of the projection's live stream ({@code /streams/events}), noting when each event
 * of interest arrives: the other side of "a command's event reaches every client".
 */
final class EventStreamProbe implements AutoCloseable {
    private final Map<String, CompletableFuture<Long>> awaited = new ConcurrentHashMap<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    EventStreamProbe(StackClient stack, String type) {
        HttpRequest request = HttpRequest.newBuilder(StackClient.uri("projection-service", "/streams/events?type=" + type))
                .header("Authorization", stack.owner).header("Accept", "text/event-stream").GET().build();
        response = stack.http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            if (r.statusCode() != 200) {
                r.body().close(); // the constructor reports the status
                return;
            }
            Thread reader = new Thread(() -> {
                try {
                    r.body().forEach(this::line);
                } catch (java.io.UncheckedIOException closed) {
                    // close() ends the stream under the reader: that is how a probe stops.
                }
            }, "event-stream-probe");
            reader.setDaemon(true);
            reader.start();
        });
        int status = response.orTimeout(10, TimeUnit.SECONDS).join().statusCode();
        if (status != 200) {
            throw new IllegalStateException("the event stream answered " + status);
        }
    }

    /** A future completed with {@link System#nanoTime()} when the next event about {@code proposal} arrives. */
    CompletableFuture<Long> next(String proposal) {
        return awaited.computeIfAbsent(proposal, p -> new CompletableFuture<>());
    }

    private void line(String line) {
        if (!line.startsWith("data:")) {
            return;
        }
        long at = System.nanoTime();
        CompletableFuture<Long> waiting = awaited.remove(subject(line));
        if (waiting != null) {
            waiting.complete(at);
        }
    }

    /**
     * The event's subject (a proposal id). A thousand probes in one JVM read every event on two
     * cores, so the bench looks for the field rather than parsing each event whole: the figure is
     * about the service's delivery, not the client's JSON parser. An unusual layout (an escape in
     * the subject) is parsed properly.
     */
    static String subject(String line) {
        String json = line.substring("data:".length()).strip();
        int field = json.indexOf(SUBJECT);
        if (field >= 0) {
            int start = field + SUBJECT.length();
            int end = json.indexOf('"', start);
            String subject = end > start ? json.substring(start, end) : "";
            if (!subject.isEmpty() && subject.indexOf('\\') < 0) {
                return subject;
            }
        }
        return EventJson.tree(json).path("subject").asText();
    }

    private static final String SUBJECT = "\"subject\":\"";

    /** How long after {@code sentNanos} the awaited event arrived, in ms; -1 when it did not within {@code wait}. */
    static double millisAfter(CompletableFuture<Long> arrival, long sentNanos, Duration wait) {
        try {
            return (arrival.get(wait.toMillis(), TimeUnit.MILLISECONDS) - sentNanos) / 1e6;
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
