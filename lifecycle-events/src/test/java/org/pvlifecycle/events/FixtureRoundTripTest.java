package org.pvlifecycle.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kept v1 fixture must still validate and read into today's record, and write back to the
 * same JSON: an event written by an older version of the system stays readable.
 */
class FixtureRoundTripTest {

    static JsonNode fixture(EventType type) throws IOException {
        try (InputStream in = FixtureRoundTripTest.class.getResourceAsStream("/fixtures/v1/" + type.typeName() + ".json")) {
            assertThat(in).as("fixture for %s", type.typeName()).isNotNull();
            return EventJson.mapper().readTree(in);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void fixtureValidatesAndRoundTrips(EventType type) throws IOException {
        JsonNode cloudEvent = fixture(type);
        assertThat(cloudEvent.path("type").asText()).isEqualTo(type.typeName());
        assertThat(cloudEvent.path("source").asText()).isEqualTo(type.source());
        JsonNode data = cloudEvent.path("data");

        assertThat(EventSchemas.violations(type, data)).isEmpty();
        LifecycleEvent event = EventSchemas.read(type, data.toString());

        assertThat(event).isInstanceOf(type.payloadType());
        assertThat(EventType.of(event)).isEqualTo(type);
        assertThat(cloudEvent.path("subject").asText()).isEqualTo(event.proposalId());
        JsonNode written = EventJson.mapper().readTree(EventJson.write(event));
        assertThat(written).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void aPayloadMissingARequiredFieldIsRefusedWithItsName(EventType type) throws IOException {
        ObjectNode data = fixture(type).path("data").deepCopy();
        String required = EventSchemas.schemaDocument(type).path("required").get(0).asText();
        data.remove(required);

        assertThat(EventSchemas.violations(type, data)).anySatisfy(v -> assertThat(v).contains(required));
    }
}
