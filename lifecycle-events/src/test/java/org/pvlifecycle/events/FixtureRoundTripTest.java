package org.pvlifecycle.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kept v1 fixture must still validate and read into today's record, and write back to the
 * same JSON: an event written by an older version of the system stays readable. The mail-bridge
 * fixtures are v1 events as written since the optional {@code source}, {@code paths} and
 * {@code components} exist (docs/events.md#compatibility); they must round-trip too, and the kept
 * ones must read without them.
 */
class FixtureRoundTripTest {
    static final String KEPT = "/fixtures/v1/";
    static final String MAIL_BRIDGE = "/fixtures/v1-mail-bridge/";

    static JsonNode fixture(EventType type) throws IOException {
        return fixture(KEPT, type);
    }

    static JsonNode fixture(String directory, EventType type) throws IOException {
        try (InputStream in = FixtureRoundTripTest.class.getResourceAsStream(directory + type.typeName() + ".json")) {
            assertThat(in).as("fixture %s%s", directory, type.typeName()).isNotNull();
            return EventJson.mapper().readTree(in);
        }
    }

    /** Checks the fixture's envelope and payload, reads it, writes it back; returns what it read. */
    static LifecycleEvent readsAndWritesBack(EventType type, JsonNode cloudEvent) throws IOException {
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
        return event;
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void fixtureValidatesAndRoundTrips(EventType type) throws IOException {
        readsAndWritesBack(type, fixture(type));
    }

    /** What the event stores read back from their own text is what the checked path reads. */
    @ParameterizedTest
    @EnumSource(EventType.class)
    void aStoredPayloadReadsStraightIntoTheSameRecord(EventType type) throws IOException {
        String stored = EventJson.write(readsAndWritesBack(type, fixture(type)));

        assertThat(EventJson.read(stored, type.payloadType()))
                .isEqualTo(EventJson.read(EventJson.tree(stored), type.payloadType()));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void aPayloadMissingARequiredFieldIsRefusedWithItsName(EventType type) throws IOException {
        ObjectNode data = fixture(type).path("data").deepCopy();
        String required = EventSchemas.schemaDocument(type).path("required").get(0).asText();
        data.remove(required);

        assertThat(EventSchemas.violations(type, data)).anySatisfy(v -> assertThat(v).contains(required));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pv.proposal.submitted.v1", "pv.proposal.revised.v1", "pv.review.objection-raised.v1",
            "pv.review.objection-answered.v1", "pv.review.objection-reaffirmed.v1", "pv.review.objection-withdrawn.v1",
            "pv.review.ack-given.v1", "pv.review.ack-retracted.v1", "pv.consensus.policy-changed.v1"})
    void mailBridgeFixtureValidatesAndRoundTrips(String typeName) throws IOException {
        EventType type = EventType.byName(typeName).orElseThrow();
        JsonNode cloudEvent = fixture(MAIL_BRIDGE, type);
        JsonNode data = cloudEvent.path("data");
        assertThat(data.has("source") || data.has("paths") || data.has("components"))
                .as("the fixture shows a field the kept one does not have").isTrue();

        readsAndWritesBack(type, cloudEvent);
    }

    @Test
    void theMailBridgeFixturesCarryTheirSourceAndPaths() throws IOException {
        ObjectionRaised raised = (ObjectionRaised) readsAndWritesBack(EventType.OBJECTION_RAISED,
                fixture(MAIL_BRIDGE, EventType.OBJECTION_RAISED));
        assertThat(raised.source()).isEqualTo(Source.mail("20261126090600.1234-1-carol@example.org",
                "xen-devel.lists.xenproject.org"));
        assertThat(raised.category()).isEqualTo(ObjectionCategory.OTHER);

        ProposalSubmitted submitted = (ProposalSubmitted) readsAndWritesBack(EventType.PROPOSAL_SUBMITTED,
                fixture(MAIL_BRIDGE, EventType.PROPOSAL_SUBMITTED));
        assertThat(submitted.paths()).containsExactly("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h");
    }

    @Test
    void keptFixturesReadWithoutSourceOrPaths() throws IOException {
        for (EventType type : List.of(EventType.OBJECTION_RAISED, EventType.OBJECTION_ANSWERED,
                EventType.OBJECTION_REAFFIRMED, EventType.OBJECTION_WITHDRAWN, EventType.ACK_GIVEN,
                EventType.ACK_RETRACTED, EventType.PROPOSAL_SUBMITTED, EventType.PROPOSAL_REVISED)) {
            JsonNode data = fixture(type).path("data");
            assertThat(data.has("source") || data.has("paths")).as("kept fixture %s", type.typeName()).isFalse();
            assertThat(EventSchemas.read(type, data.toString())).hasFieldOrPropertyWithValue(
                    type.typeName().startsWith("pv.proposal.") ? "paths" : "source", null);
        }
    }

    @Test
    void thePolicyOfAMaintainersFileCarriesItsComponentsAndTheKeptOneReadsWithout() throws IOException {
        PolicyChanged described = (PolicyChanged) readsAndWritesBack(EventType.POLICY_CHANGED,
                fixture(MAIL_BRIDGE, EventType.POLICY_CHANGED));
        assertThat(described.components().get("public-i-o-interfaces-and-pv-drivers-designs")).isEqualTo(
                new PolicyChanged.Component("PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS",
                        List.of("xen/include/public/io/"), List.of(), List.of("Juergen Gross <jgross@suse.com>")));

        JsonNode kept = fixture(EventType.POLICY_CHANGED).path("data");
        assertThat(kept.has("components")).isFalse();
        assertThat(((PolicyChanged) EventSchemas.read(EventType.POLICY_CHANGED, kept.toString())).components()).isNull();
    }

    @Test
    void aComponentDescriptionThatBreaksTheRulesBreaksTheSchema() throws IOException {
        JsonNode described = fixture(MAIL_BRIDGE, EventType.POLICY_CHANGED).path("data");
        String io = "public-i-o-interfaces-and-pv-drivers-designs";
        for (String bad : List.of("{\"BAD ID\": {\"title\": \"t\", \"files\": [], \"excluded\": [], \"contacts\": []}}",
                "{\"" + "a".repeat(65) + "\": {\"title\": \"t\", \"files\": [], \"excluded\": [], \"contacts\": []}}",
                "{\"" + io + "\": {\"title\": \"\", \"files\": [], \"excluded\": [], \"contacts\": []}}",
                "{\"" + io + "\": {\"title\": \"t\", \"files\": [], \"excluded\": [], \"contacts\": [\"Juergen\"]}}",
                "{\"" + io + "\": {\"title\": \"t\", \"files\": [\"\"], \"excluded\": [], \"contacts\": []}}",
                "{\"" + io + "\": {\"title\": \"t\", \"files\": []}}")) {
            ObjectNode data = described.deepCopy();
            data.set("components", EventJson.tree(bad));
            assertThat(EventSchemas.violations(EventType.POLICY_CHANGED, data)).as(bad).isNotEmpty();
        }
    }

    @Test
    void componentIdsOfAMaintainersFileFitProposalsAndAcks() throws IOException {
        String io = "public-i-o-interfaces-and-pv-drivers-designs";
        ObjectNode submitted = fixture(EventType.PROPOSAL_SUBMITTED).path("data").deepCopy();
        submitted.putArray("components").add(io).add("a".repeat(64));
        assertThat(EventSchemas.violations(EventType.PROPOSAL_SUBMITTED, submitted)).isEmpty();
        ObjectNode ack = fixture(EventType.ACK_GIVEN).path("data").deepCopy();
        ack.put("component", io);
        assertThat(EventSchemas.violations(EventType.ACK_GIVEN, ack)).isEmpty();
        for (String bad : List.of("a".repeat(65), "--", "Linux", "a b", "")) {
            ack.put("component", bad);
            assertThat(EventSchemas.violations(EventType.ACK_GIVEN, ack)).as(bad).isNotEmpty();
        }
    }

    @Test
    void withoutThemSourceAndPathsAreLeftOutEvenByAMapperThatWritesNulls() {
        com.fasterxml.jackson.databind.ObjectMapper writesNulls = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
        JsonNode raised = writesNulls.valueToTree(new ObjectionRaised("pvcalls-v2", "pvcalls-v2.o1", Stage.DESIGN,
                ObjectionCategory.ABI, "ABI", "r", false));
        JsonNode submitted = writesNulls.valueToTree(new ProposalSubmitted("pvcalls-v2", "T", null, "alice",
                List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()));

        JsonNode policy = writesNulls.valueToTree(new PolicyChanged(2, Map.of(), Duration.ofDays(3), Duration.ofDays(7),
                Duration.ofDays(7), false, false, Map.of("linux-frontend", List.of("alice"))));

        assertThat(raised.has("source")).isFalse();
        assertThat(submitted.has("paths")).isFalse();
        assertThat(policy.has("components")).isFalse();
        assertThat(submitted.get("summary").isNull()).as("the fields that were there before keep their nulls").isTrue();
    }

    @Test
    void aSourceOrAPathThatBreaksTheRulesBreaksTheSchema() throws IOException {
        JsonNode raised = fixture(MAIL_BRIDGE, EventType.OBJECTION_RAISED).path("data");
        for (String bad : List.of("{\"kind\": \"SMOKE_SIGNAL\", \"messageId\": \"m\", \"list\": \"l\"}",
                "{\"kind\": \"MAIL\", \"messageId\": \"  \", \"list\": \"l\"}",
                "{\"kind\": \"MAIL\", \"messageId\": \"m\"}")) {
            ObjectNode data = raised.deepCopy();
            data.set("source", EventJson.tree(bad));
            assertThat(EventSchemas.violations(EventType.OBJECTION_RAISED, data)).as(bad).isNotEmpty();
        }

        JsonNode submitted = fixture(MAIL_BRIDGE, EventType.PROPOSAL_SUBMITTED).path("data");
        for (String bad : List.of("/etc/passwd", "docs/../../etc", "..", " ", "")) {
            ObjectNode data = submitted.deepCopy();
            data.putArray("paths").add("docs/misc/pvcalls.pandoc").add(bad);
            assertThat(EventSchemas.violations(EventType.PROPOSAL_SUBMITTED, data)).as(bad).isNotEmpty();
        }
        ObjectNode fine = submitted.deepCopy();
        fine.putArray("paths").add("tools/..hidden/x").add("a..b");
        assertThat(EventSchemas.violations(EventType.PROPOSAL_SUBMITTED, fine)).isEmpty();
    }
}
