package org.pvlifecycle.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The AsyncAPI document describes every topic and every event type, each with its schema. */
class AsyncApiDocumentTest {

    @Test
    void describesEveryTopicAndEveryType() throws IOException {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/asyncapi.yaml")) {
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");

        List<String> addresses = new ArrayList<>();
        doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
        for (String topic : Topics.ALL) {
            assertThat(addresses).contains(topic, Topics.deadLetter(topic));
        }

        JsonNode messages = doc.path("components").path("messages");
        for (EventType type : EventType.values()) {
            JsonNode message = messages.path(type.typeName().replace('.', '_'));
            assertThat(message.path("name").asText()).isEqualTo(type.typeName());
            String schemaRef = message.path("payload").path("schema").path("$ref").asText();
            assertThat(schemaRef).isEqualTo(type.schemaResource());
            assertThat(getClass().getClassLoader().getResource(schemaRef)).isNotNull();
            // An optional field added to a v1 schema is announced on its message, for readers of the document.
            for (String added : List.of("source", "paths")) {
                if (EventSchemas.schemaDocument(type).path("properties").has(added)) {
                    assertThat(message.path("description").asText()).as(type.typeName()).contains("`" + added + "`");
                }
            }
        }
        // submitted has a components field of its own since 1.0.0; policy-changed's is the one added.
        assertThat(messages.path("pv_consensus_policy-changed_v1").path("description").asText()).contains("`components`");
    }
}
