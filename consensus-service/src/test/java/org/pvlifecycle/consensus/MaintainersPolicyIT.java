package org.pvlifecycle.consensus;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.pvlifecycle.consensus.ConsensusFixtures.ALICE;
import static org.pvlifecycle.consensus.ConsensusFixtures.CZAR;
import static org.pvlifecycle.consensus.ConsensusFixtures.put;

/**
 * {@code PUT /policy/maintainers} with xen.git's own MAINTAINERS (test resource xen-maintainers/):
 * the policy's components, what GET /policy shows of them, the event, and the bodies it refuses.
 * Each test puts back the policy it found, for the other test classes sharing the service.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class MaintainersPolicyIT {
    static final String IO = "public-i-o-interfaces-and-pv-drivers-designs";
    static final String XEN = xenMaintainers();

    Map<String, Object> found;

    static String xenMaintainers() {
        try (java.io.InputStream in = MaintainersPolicyIT.class.getResourceAsStream("/xen-maintainers/MAINTAINERS")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeEach
    void remember() {
        found = given().header("Authorization", ALICE).when().get("/policy").then().statusCode(200)
                .extract().jsonPath().getMap("$");
    }

    @AfterEach
    void putBack() {
        put(CZAR, "/policy", found).statusCode(200);
    }

    static ValidatableResponse putMaintainers(String token, String contentType, String text) {
        return given().header("Authorization", token).contentType(contentType).body(text)
                .when().put("/policy/maintainers").then().log().ifValidationFails();
    }

    @Test
    void xensMaintainersBecomeThePolicysComponentsAndAnEvent() {
        int before = ((Number) found.get("version")).intValue();

        putMaintainers(CZAR, "text/plain; charset=UTF-8", XEN).statusCode(200)
                .body("version", equalTo(before + 1))
                .body("reviewWindows", equalTo(found.get("reviewWindows")))
                .body("responseWindow", equalTo(found.get("responseWindow")));

        JsonPath policy = given().header("Authorization", ALICE).when().get("/policy").then().statusCode(200)
                .body("version", equalTo(before + 1)).extract().jsonPath();
        Map<String, List<String>> maintainers = policy.getMap("maintainers");
        assertThat(maintainers).hasSize(57).doesNotContainKey("linux-frontend");
        assertThat(maintainers.get(IO)).containsExactly("jgross@suse.com");
        assertThat(maintainers.get("remus")).as("an orphan section").isEmpty();
        Map<String, Object> io = policy.getMap("components.'" + IO + "'");
        assertThat(io).containsEntry("title", "PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS")
                .containsEntry("files", List.of("xen/include/public/io/"))
                .containsEntry("excluded", List.of())
                .containsEntry("contacts", List.of("Juergen Gross <jgross@suse.com>"));
        assertThat(policy.getList("components.'the-rest'.contacts", String.class))
                .as("read as UTF-8").contains("Roger Pau Monné <roger@xenproject.org>");
        assertThat(policy.getList("components.'iommu-vendor-independent-code'.excluded", String.class))
                .contains("xen/drivers/passthrough/amd/");

        List<ConsumerRecord<String, String>> changed = TopicProbe.readUntil(Topics.CONSENSUS, Duration.ofSeconds(30),
                records -> records.stream().anyMatch(r -> isPolicyVersion(r, before + 1)));
        ConsumerRecord<String, String> event = changed.stream().filter(r -> isPolicyVersion(r, before + 1))
                .findFirst().orElseThrow();
        assertThat(TopicProbe.header(event, "ce_actor")).isEqualTo("xen-czar");
        PolicyChanged data = EventJson.mapper().convertValue(EventJson.tree(event.value()), PolicyChanged.class);
        assertThat(data.maintainers().get(IO)).containsExactly("jgross@suse.com");
        assertThat(data.components().get(IO).title()).isEqualTo("PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS");
        assertThat(data.components().get(IO).contacts()).containsExactly("Juergen Gross <jgross@suse.com>");
    }

    static boolean isPolicyVersion(ConsumerRecord<String, String> r, int version) {
        if (!PolicyChanged.POLICY_SUBJECT.equals(r.key())
                || !"pv.consensus.policy-changed.v1".equals(TopicProbe.header(r, "ce_type"))) {
            return false;
        }
        JsonNode data = EventJson.tree(r.value());
        return data.path("version").asInt() == version && data.has("components");
    }

    @Test
    void badBodiesAreProblemsNamingTheBody() {
        int before = ((Number) found.get("version")).intValue();

        putMaintainers(ALICE, "text/plain", XEN).statusCode(403);
        putMaintainers(CZAR, "application/json", "{}").statusCode(415)
                .contentType("application/problem+json").body("status", equalTo(415));
        putMaintainers(CZAR, "text/plain", "").statusCode(422)
                .contentType("application/problem+json").body("errors.field", contains("body"));
        putMaintainers(CZAR, "text/plain", "  \n\n").statusCode(422).body("errors.field", contains("body"));
        putMaintainers(CZAR, "text/plain", "REMUS\nS:\tOrphan\nF:\tdocs/README.remus\n").statusCode(422)
                .body("errors.field", contains("body")).body("detail", containsString("M:"));
        putMaintainers(CZAR, "text/plain", "just some prose\nwith no tags\n").statusCode(422)
                .body("errors.field", contains("body"));
        putMaintainers(CZAR, "text/plain", "PV CALLS\nM:\tJane <jane@example.org>\nM Joe <joe@example.org>\n")
                .statusCode(422).body("errors.field", contains("body")).body("detail", containsString("line 3"));
        putMaintainers(CZAR, "text/plain", "PV CALLS\nM:\tJane without an address\n").statusCode(422)
                .body("errors.field", contains("body"));

        given().header("Authorization", ALICE).when().get("/policy").then().body("version", equalTo(before));
    }

    @Test
    void putPolicyTakesSlugsUpToSixtyFourCharactersAndComponentDescriptions() {
        String longest = "a".repeat(64);
        Map<String, Object> wide = new HashMap<>(found);
        wide.put("maintainers", Map.of(longest, List.of("jane@example.org"), "orphaned-one", List.of()));
        wide.put("components", Map.of(longest, Map.of("title", "A LONG TITLE", "files", List.of("xen/common/"),
                "excluded", List.of(), "contacts", List.of("Jane <jane@example.org>"))));
        put(CZAR, "/policy", wide).statusCode(200)
                .body("maintainers." + longest, contains("jane@example.org"))
                .body("components." + longest + ".title", equalTo("A LONG TITLE"));

        Map<String, Object> tooLong = new HashMap<>(found);
        tooLong.put("maintainers", Map.of("a".repeat(65), List.of("jane")));
        put(CZAR, "/policy", tooLong).statusCode(422).contentType("application/problem+json")
                .body("errors.field", contains("maintainers"));

        Map<String, Object> strayDescription = new HashMap<>(wide);
        strayDescription.put("components", Map.of("nowhere", Map.of("title", "T")));
        put(CZAR, "/policy", strayDescription).statusCode(422).body("errors.field", contains("components.nowhere"));

        Map<String, Object> badContact = new HashMap<>(wide);
        badContact.put("components", Map.of(longest, Map.of("title", "T", "contacts", List.of("Jane"))));
        put(CZAR, "/policy", badContact).statusCode(422).body("errors.field", contains("components." + longest + ".contacts"));

        Map<String, Object> blankTitle = new HashMap<>(wide);
        blankTitle.put("components", Map.of(longest, Map.of("title", " ")));
        put(CZAR, "/policy", blankTitle).statusCode(422).body("errors.field", contains("components." + longest + ".title"));
    }
}
