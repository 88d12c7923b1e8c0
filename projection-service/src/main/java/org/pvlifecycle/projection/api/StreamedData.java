package org.pvlifecycle.projection.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.projection.domain.LoggedEvent;
import org.pvlifecycle.projection.persistence.EventLogTail;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each event's data as the streams send it (a structured CloudEvent in JSON), written once however
 * many streams send it: with a thousand clients on an instance, writing the same event a thousand
 * times was most of the work of passing it on. Keyed by the event's position in the log, which
 * never changes; the most recently sent stay, as many as the tail keeps in memory.
 */
@ApplicationScoped
public class StreamedData {
    private final Map<Long, String> written = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > EventLogTail.KEPT;
        }
    });

    public String of(LoggedEvent e) {
        String json = written.get(e.position());
        if (json == null) {
            json = write(e);
            written.put(e.position(), json);
        }
        return json;
    }

    static String write(LoggedEvent e) {
        try {
            return EventJson.mapper().writeValueAsString(ReadResource.structured(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
