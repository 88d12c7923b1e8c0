package org.pvlifecycle.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.pvlifecycle.events.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * What one request got: its outcome, and for an HTTP answer the status, the headers the fault
 * scenarios check and the body. {@code status} is 0 when no answer came.
 */
record Answer(Outcome outcome, int status, String contentType, String retryAfter, String body, Instant sentAt,
        Duration latency) {

    JsonNode json() {
        try {
            return EventJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
        }
    }

    @Override
    public String toString() {
        return outcome.label + (status == 0 ? "" : " " + status) + " in " + latency.toMillis() + " ms"
                + (body == null || body.isEmpty() ? "" : ": " + body.substring(0, Math.min(300, body.length())));
    }
}
