package org.pvlifecycle.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON Schema (draft 2020-12) of every event type, loaded once from this module's resources.
 * Consumers check each payload against its schema before reading it, so a message that breaks the
 * contract goes to the dead-letter topic instead of half-applying.
 */
public final class EventSchemas {
    private static final Map<EventType, Schema> SCHEMAS = load();

    private static Map<EventType, Schema> load() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Map<EventType, Schema> schemas = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
                if (in == null) {
                    throw new IllegalStateException("no schema resource " + type.schemaResource());
                }
                schemas.put(type, registry.getSchema(EventJson.mapper().readTree(in)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schemas;
    }

    /** The schema document itself, e.g. to publish it or to compare it with the record. */
    public static JsonNode schemaDocument(EventType type) {
        return SCHEMAS.get(type).getSchemaNode();
    }

    /** Every violation of the type's schema, as readable sentences; empty when the payload fits. */
    public static List<String> violations(EventType type, JsonNode payload) {
        List<Error> errors = SCHEMAS.get(type).validate(payload);
        return errors.stream().map(Error::toString).collect(Collectors.toList());
    }

    /**
     * Reads a payload of the given type: checks it against the schema, then maps it to the record.
     *
     * @throws UnreadableEventException naming every violation, when it does not fit
     */
    public static LifecycleEvent read(EventType type, String payloadJson) {
        JsonNode tree = EventJson.tree(payloadJson);
        List<String> violations = violations(type, tree);
        if (!violations.isEmpty()) {
            throw new UnreadableEventException(type.typeName() + " breaks its schema: " + String.join("; ", violations));
        }
        return EventJson.read(tree, type.payloadType());
    }

    private EventSchemas() {
    }
}
