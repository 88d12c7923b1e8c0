package org.pvlifecycle.bench;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe against a hand-written SSE peer that cuts its chunks in awkward places: inside a
 * {@code data:} line, inside a two-byte UTF-8 character, between a CR and its LF. Each awaited
 * event is still noted once its whole line has come, and only then.
 */
class EventStreamProbeTest {

    @Test
    void eventsCutAcrossChunksAreNotedWhenTheirLineEnds() throws Exception {
        String first = "id:1\r\nevent:eligibility-changed\r\ndata:{\"subject\":\"pvcalls\",\"data\":{\"note\":\"é\"}}\r\n\r\n";
        String second = "data:{\"subject\":\"pv\\u00e9-display\",\"x\":1}\n\n";
        byte[] bytes = first.getBytes(StandardCharsets.UTF_8);
        int inData = first.indexOf("subject") + 3;
        int inE = first.indexOf('é') + 1; // between the two bytes of é (one char before it is all ASCII)
        int inCrLf = first.lastIndexOf("\r\n\r\n") + 1 + 1; // after the é's extra byte: between CR and LF
        CountDownLatch firstPartSent = new CountDownLatch(1);
        CountDownLatch rest = new CountDownLatch(1);
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (Socket s = raw.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    assertThat(in.readLine()).startsWith("GET /streams/events?type=eligibility-changed HTTP/1.1");
                    while (!in.readLine().isEmpty()) {
                        // the rest of the request's head
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    chunk(out, bytes, 0, inData);
                    chunk(out, bytes, inData, inE);
                    out.flush();
                    firstPartSent.countDown();
                    rest.await(5, TimeUnit.SECONDS);
                    chunk(out, bytes, inE, inCrLf);
                    chunk(out, bytes, inCrLf, bytes.length);
                    byte[] next = second.getBytes(StandardCharsets.UTF_8);
                    chunk(out, next, 0, next.length);
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            peer.start();
            try (EventStreamProbe probe = new EventStreamProbe(raw.getLocalPort(), "Bearer a", "eligibility-changed")) {
                CompletableFuture<Long> pvcalls = probe.next("pvcalls");
                CompletableFuture<Long> display = probe.next("pvé-display");
                assertThat(firstPartSent.await(5, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(200);
                assertThat(pvcalls).as("its line has not ended yet").isNotDone();
                rest.countDown();
                assertThat(EventStreamProbe.millisAfter(pvcalls, 0, Duration.ofSeconds(5))).isPositive();
                assertThat(EventStreamProbe.millisAfter(display, 0, Duration.ofSeconds(5))).isPositive();
            }
            peer.join(5_000);
        }
    }

    private static void chunk(OutputStream out, byte[] bytes, int from, int to) throws IOException {
        out.write((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, from, to - from);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
