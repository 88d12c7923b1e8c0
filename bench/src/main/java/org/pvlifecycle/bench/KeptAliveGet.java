package org.pvlifecycle.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One load worker's connection for the read figures: HTTP/1.1 GETs over one kept-alive socket, each
 * answer read to its end and dropped. The JDK's HttpClient costs the bench more CPU per request
 * than a small read costs the service (on two cores it held the {@code /q/health/live} floor near
 * 2,600 answers/s, where wrk on the same stack gets about 6,000), so the floor measured the client.
 * This costs little more than the socket calls, as wrk does. Not thread-safe: one per worker.
 */
final class KeptAliveGet implements AutoCloseable {
    private final int port;
    private final String authorization;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeptAliveGet(int port, String authorization) {
        this.port = port;
        this.authorization = authorization;
    }

    /** GETs {@code path}; answers the status once the whole answer has been read. */
    int get(String path) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }
        try {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: " + authorization
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return answer();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private int answer() throws IOException {
        HttpReading.Head head = HttpReading.head(in);
        boolean closes = head.closes();
        if (head.chunked()) {
            for (long size = HttpReading.chunkSize(in); size > 0; size = HttpReading.chunkSize(in)) {
                HttpReading.skip(in, size);
                HttpReading.line(in);
            }
            while (!HttpReading.line(in).isEmpty()) {
                // trailers
            }
        } else if (head.contentLength() >= 0) {
            HttpReading.skip(in, head.contentLength());
        } else {
            while (in.read() >= 0) {
                // an answer delimited by the connection's end
            }
            closes = true;
        }
        if (closes) {
            close();
        }
        return head.status();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection that is gone
            }
            socket = null;
        }
    }
}
