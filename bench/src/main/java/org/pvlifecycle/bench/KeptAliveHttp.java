package org.pvlifecycle.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One connection of the bench's client: HTTP/1.1 requests over one kept-alive socket, each answer
 * read to its end and dropped. The JDK's HttpClient costs the bench more CPU per request than a
 * small read costs the service, on the same two cores: it held the {@code /q/health/live} floor
 * near 2,600 answers/s where wrk on the same stack gets about 6,000, and it took 30 % of a core
 * while the stack accepted 120 commands/s. This costs little more than the socket calls, as wrk
 * does. Not thread-safe: {@link StackClient} lends each to one request at a time.
 */
final class KeptAliveHttp implements AutoCloseable {
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeptAliveHttp(int port) {
        this.port = port;
    }

    /**
     * Sends a request ({@code body} null for none); answers the status once the whole answer has
     * been read. On a reused connection that the service had closed, fails with
     * {@link HttpReading.StaleConnection}, and nothing reached the service.
     */
    int exchange(String method, String path, String authorization, String contentType, byte[] body)
            throws IOException {
        boolean reused = socket != null;
        if (!reused) {
            Socket connected = HttpReading.connect(port);
            in = new BufferedInputStream(connected.getInputStream(), 64 * 1024);
            out = new BufferedOutputStream(connected.getOutputStream(), 16 * 1024);
            socket = connected;
        }
        try {
            StringBuilder head = new StringBuilder(512).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
                    .append("\r\nAuthorization: ").append(authorization).append("\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                        .append("\r\n");
            }
            try {
                out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                in.mark(1);
                if (in.read() < 0) {
                    throw new EOFException("the connection closed before the answer");
                }
                in.reset();
            } catch (java.net.SocketTimeoutException slow) {
                throw slow;
            } catch (IOException beforeTheAnswer) {
                throw reused ? new HttpReading.StaleConnection(beforeTheAnswer) : beforeTheAnswer;
            }
            return answer();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private int answer() throws IOException {
        HttpReading.Head head = HttpReading.head(in);
        boolean closes = head.closes();
        if (head.status() == 204 || head.status() == 304) {
            // no body, whatever the headers say
        } else if (head.chunked()) {
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
