package org.pvlifecycle.bench;

import org.pvlifecycle.events.EventJson;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One client of the projection's live stream ({@code /streams/events}), noting when each event
 * of interest arrives: the other side of "a command's event reaches every client". Each probe
 * reads its own socket on its own thread. Over the JDK's HttpClient, one selector thread read all
 * thousand streams of the fan-out in turn, and its CPU on the two cores the service runs on was
 * part of every delivery's time; a stream's clients are other machines.
 */
final class EventStreamProbe implements AutoCloseable {
    private final Map<String, CompletableFuture<Long>> awaited = new ConcurrentHashMap<>();
    private final Socket socket;

    EventStreamProbe(StackClient stack, String type) {
        this(StackClient.PORTS.get("projection-service"), stack.owner, type);
    }

    /** The stream of events of {@code type} from the service on {@code port}. */
    EventStreamProbe(int port, String authorization, String type) {
        try {
            socket = HttpReading.connect(port);
        } catch (IOException e) {
            throw new UncheckedIOException("the event stream could not be opened", e);
        }
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            socket.getOutputStream().write(("GET /streams/events?type=" + type + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: " + authorization + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            HttpReading.Head head = HttpReading.head(in);
            if (head.status() != 200) {
                close();
                throw new IllegalStateException("the event stream answered " + head.status());
            }
            socket.setSoTimeout(0);
            Thread reader = new Thread(() -> read(in, head.chunked()), "event-stream-probe");
            reader.setDaemon(true);
            reader.start();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("the event stream could not be opened", e);
        }
    }

    /** Splits the body into lines, taking the chunks' framing off first. */
    private void read(InputStream in, boolean chunked) {
        byte[] line = new byte[4 * 1024];
        int length = 0;
        byte[] buffer = new byte[8 * 1024];
        try {
            while (true) {
                long left = chunked ? HttpReading.chunkSize(in) : Long.MAX_VALUE;
                if (left == 0) {
                    return; // the stream ended
                }
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        return;
                    }
                    left -= n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            line(line, length);
                            length = 0;
                        } else if (buffer[i] != '\r') {
                            if (length == line.length) {
                                line = Arrays.copyOf(line, 2 * length);
                            }
                            line[length++] = buffer[i];
                        }
                    }
                }
                HttpReading.line(in); // the CRLF after the chunk
            }
        } catch (IOException closed) {
            // close() ends the stream under the reader: that is how a probe stops.
        }
    }

    /** A future completed with {@link System#nanoTime()} when the next event about {@code proposal} arrives. */
    CompletableFuture<Long> next(String proposal) {
        return awaited.computeIfAbsent(proposal, p -> new CompletableFuture<>());
    }

    private void line(byte[] line, int length) {
        if (length < DATA.length || !Arrays.equals(line, 0, DATA.length, DATA, 0, DATA.length)) {
            return;
        }
        long at = System.nanoTime();
        CompletableFuture<Long> waiting = awaited.remove(subject(new String(line, 0, length, StandardCharsets.UTF_8)));
        if (waiting != null) {
            waiting.complete(at);
        }
    }

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

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
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a stream that is gone
        }
    }
}
