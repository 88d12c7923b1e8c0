package org.pvlifecycle.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * How event payloads are written and read. Times and durations are ISO-8601 strings; null fields
 * are left out; unknown fields are ignored, so that a newer writer's additions never break an
 * older reader.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(LifecycleEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + event.getClass().getSimpleName(), e);
        }
    }

    /** A decider's state (a record of the domain) as JSON, for the event store's snapshots. */
    public static String writeState(Object state) {
        try {
            return MAPPER.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the state " + state.getClass().getSimpleName(), e);
        }
    }

    /** A decider's state read back from {@link #writeState}. */
    public static <S> S readState(String json, Class<S> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot read the state " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("payload is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static <E extends LifecycleEvent> E read(JsonNode json, Class<E> type) {
        try {
            return MAPPER.treeToValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new UnreadableEventException("payload does not fit " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * An event's payload read straight from its stored text, for events already checked when they
     * were first taken in: no tree in between, which halves the cost of folding a long history.
     */
    public static <E extends LifecycleEvent> E read(String json, Class<E> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new UnreadableEventException("payload does not fit " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    private EventJson() {
    }
}
