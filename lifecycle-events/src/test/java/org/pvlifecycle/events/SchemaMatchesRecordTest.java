package org.pvlifecycle.events;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema and the record of each type describe the same fields; a field added to one and not
 * the other fails the build. Primitive components (never null) must be required by the schema.
 */
class SchemaMatchesRecordTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaPropertiesAreTheRecordComponents(EventType type) {
        JsonNode schema = EventSchemas.schemaDocument(type);
        Set<String> properties = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(properties::add);
        Set<String> components = Arrays.stream(type.payloadType().getRecordComponents())
                .map(RecordComponent::getName).collect(Collectors.toCollection(TreeSet::new));
        if (type == EventType.POLICY_CHANGED) {
            // The policy belongs to no proposal: its proposalId() is a constant, not a field.
            components.remove("proposalId");
        }

        assertThat(properties).as("schema %s vs record %s", type.typeName(), type.payloadType().getSimpleName())
                .isEqualTo(components);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void primitiveComponentsAreRequired(EventType type) {
        Set<String> required = new TreeSet<>();
        EventSchemas.schemaDocument(type).path("required").forEach(n -> required.add(n.asText()));
        Set<String> primitives = Arrays.stream(type.payloadType().getRecordComponents())
                .filter(c -> c.getType().isPrimitive())
                .map(RecordComponent::getName).collect(Collectors.toCollection(TreeSet::new));

        assertThat(required).containsAll(primitives);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void typeNamesFollowTheConvention(EventType type) {
        assertThat(type.typeName()).matches("pv\\.(proposal|review|consensus|notification)\\.[a-z-]+\\.v1");
        assertThat(Topics.ALL).contains(type.topic());
        assertThat(EventType.byName(type.typeName())).contains(type);
    }
}
