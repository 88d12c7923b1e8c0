package org.pvlifecycle.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;

/**
 * Reading HTTP/1.1 answers off a socket by hand, for the bench's own light clients
 * ({@link KeptAliveHttp}, {@link EventStreamProbe}): the status line and headers, and chunked
 * bodies. Only what the services send is understood.
 */
final class HttpReading {

    /** An answer's head: its status and how its body is delimited. */
    record Head(int status, long contentLength, boolean chunked, boolean closes) {
    }

    /**
     * A reused connection that the service had closed before it took the request (end of stream or
     * reset before the first byte of the answer): the request can be sent again on a new one.
     */
    static final class StaleConnection extends IOException {
        StaleConnection(Throwable cause) {
            super("the kept-alive connection was closed by the service", cause);
        }
    }

    private HttpReading() {
    }

    /** A connection to the service on {@code port} of this machine; reads time out after 10 s. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static Head head(InputStream in) throws IOException {
        String statusLine = line(in);
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = number(statusLine.substring(9, 12), 10);
        long length = -1;
        boolean chunked = false;
        boolean closes = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? header : header.substring(0, colon).trim();
            String value = colon < 0 ? "" : header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = number(value, 10);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                closes = value.equalsIgnoreCase("close");
            }
        }
        return new Head(status, length, chunked, closes);
    }

    /** The size of the next chunk of a chunked body (0 for the last). */
    static long chunkSize(InputStream in) throws IOException {
        String line = line(in);
        int extension = line.indexOf(';');
        return number((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    /** A number of the head or of a chunk's size; one that does not parse is an answer not understood. */
    private static int number(String text, int radix) throws IOException {
        try {
            return Integer.parseInt(text, radix);
        } catch (NumberFormatException e) {
            throw new IOException("not a number in the answer: " + text, e);
        }
    }

    /** A line of the head (ASCII), without its CRLF. */
    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the connection closed within an answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    static void skip(InputStream in, long count) throws IOException {
        while (count > 0) {
            long skipped = in.skip(count);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the connection closed within an answer");
                }
                skipped = 1;
            }
            count -= skipped;
        }
    }
}
