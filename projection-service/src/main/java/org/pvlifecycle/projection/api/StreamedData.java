package org.pvlifecycle.projection.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.projection.domain.LoggedEvent;
import org.pvlifecycle.projection.persistence.EventLogTail;
import org.pvlifecycle.projection.persistence.StreamConfig;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Each event's data as the streams send it (a structured CloudEvent in JSON), written once however
 * many streams send it: with a thousand clients on an instance, writing the same event a thousand
 * times was most of the work of passing it on. Keyed by the event's position in the log, which
 * never changes; the most recently sent stay, as many as the tail keeps in memory, and no more
 * characters than {@link StreamConfig#keptBytes}.
 */
@ApplicationScoped
public class StreamedData {
    @Inject
    StreamConfig config;

    /** Least recently sent first. */
    private final LinkedHashMap<Long, String> written = new LinkedHashMap<>(1024, 0.75f, true);
    private long writtenChars;

    public String of(LoggedEvent e) {
        synchronized (this) {
            String json = written.get(e.position());
            if (json != null) {
                return json;
            }
        }
        String json = write(e);
        synchronized (this) {
            String before = written.put(e.position(), json);
            writtenChars += json.length() - (before == null ? 0 : before.length());
            long maxChars = config.keptBytes().asLongValue();
            Iterator<String> eldest = written.values().iterator();
            while (written.size() > EventLogTail.KEPT || writtenChars > maxChars && written.size() > 1) {
                writtenChars -= eldest.next().length();
                eldest.remove();
            }
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
