package org.pvlifecycle.proposal;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.ServiceConventions;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.pvlifecycle.proposal.Proposals.body;
import static org.pvlifecycle.proposal.Proposals.post;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class ProposalApiIT {
    static final String ALICE = TestTokens.mint("alice", "contributor");
    static final String BOB = TestTokens.mint("bob", "contributor", "reviewer");
    static final String CAROL_REVIEWER = TestTokens.mint("carol", "reviewer");
    static final String CZAR = TestTokens.mint("xen-czar", "czar");

    @Test
    void isOperableAndChecksTokens() {
        ServiceConventions.assertOperable("pv-lifecycle proposal-service");
        ServiceConventions.assertNeedsValidToken("/proposals/anything");
    }

    @Test
    void verifiesARepeatedTokenOnceAndStillRefusesAnAlteredCopy() {
        String token = TestTokens.raw("dave", "contributor");
        double hits = jwtCacheCount("hit");
        double misses = jwtCacheCount("miss");

        for (int i = 0; i < 2; i++) {
            given().header("Authorization", "Bearer " + token).when().get("/proposals/nope-" + Proposals.newId())
                    .then().statusCode(404);
        }
        assertThat(jwtCacheCount("miss")).as("verified once").isEqualTo(misses + 1);
        assertThat(jwtCacheCount("hit")).as("then reused").isEqualTo(hits + 1);

        String asCzar = ServiceConventions.withAddedRole(token, "czar");
        given().header("Authorization", "Bearer " + asCzar).when().get("/proposals/nope-" + Proposals.newId())
                .then().statusCode(401).contentType("application/problem+json");
        assertThat(jwtCacheCount("miss")).as("the altered copy is verified, not served").isEqualTo(misses + 2);
        assertThat(jwtCacheCount("hit")).isEqualTo(hits + 1);
    }

    /** {@code pvl_jwt_cache_total{outcome}} from /q/metrics; 0 before the first token. */
    static double jwtCacheCount(String outcome) {
        Matcher count = Pattern.compile("(?m)^pvl_jwt_cache_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} (\\S+)$")
                .matcher(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    @Test
    void submitsAndReadsAProposalOwnedByTheTokensSubject() {
        String id = Proposals.newId();
        Map<String, Object> body = body(id);
        body.put("owner", "mallory");
        post(ALICE, "/proposals", body).statusCode(201)
                .header("Location", endsWith("/proposals/" + id))
                .body("id", equalTo(id))
                .body("owner", equalTo("alice"))
                .body("stage", equalTo("DESIGN"))
                .body("revision", equalTo(1))
                .body("missingSections", empty())
                .body("components", contains("linux-frontend", "qemu-backend"));

        given().header("Authorization", CAROL_REVIEWER).when().get("/proposals/" + id).then().statusCode(200)
                .body("owner", equalTo("alice")).body("spec", equalTo(Proposals.SPEC)).body("version", equalTo(1));
        given().header("Authorization", ALICE).when().get("/proposals/nope-" + id).then().statusCode(404)
                .contentType("application/problem+json");
        post(BOB, "/proposals", body(id)).statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/already-exists"));
    }

    @Test
    void onlyContributorsSubmit() {
        post(CAROL_REVIEWER, "/proposals", body(Proposals.newId())).statusCode(403)
                .contentType("application/problem+json");
        post(CZAR, "/proposals", body(Proposals.newId())).statusCode(403);
        given().contentType("application/json").body(body(Proposals.newId())).when().post("/proposals")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        Map<String, Object> badSlug = body("Not A Slug!");
        post(ALICE, "/proposals", badSlug).statusCode(422).contentType("application/problem+json")
                .body("errors.field", contains("id"));

        // The consensus policy's own subject: a proposal of that id would share its versions.
        post(ALICE, "/proposals", body("policy")).statusCode(422).body("errors.field", contains("id"));

        Map<String, Object> noComponents = body(Proposals.newId());
        noComponents.put("components", List.of());
        post(ALICE, "/proposals", noComponents).statusCode(422).body("errors.field", contains("components"));

        Map<String, Object> badComponent = body(Proposals.newId());
        badComponent.put("components", List.of("ok-one", "Bad Component"));
        post(ALICE, "/proposals", badComponent).statusCode(422).body("errors[0].field", equalTo("components[1]"));

        // A MAINTAINERS section's id may be up to 64 characters (docs/rules.md#policy), and no longer.
        Map<String, Object> maintainersIds = body(Proposals.newId());
        maintainersIds.put("components", List.of("public-i-o-interfaces-and-pv-drivers-designs", "a".repeat(64)));
        post(ALICE, "/proposals", maintainersIds).statusCode(201)
                .body("components", contains("public-i-o-interfaces-and-pv-drivers-designs", "a".repeat(64)));
        Map<String, Object> tooLong = body(Proposals.newId());
        tooLong.put("components", List.of("a".repeat(65)));
        post(ALICE, "/proposals", tooLong).statusCode(422).body("errors[0].field", equalTo("components[0]"));

        Map<String, Object> several = body(Proposals.newId());
        several.remove("spec");
        several.put("title", " ");
        post(ALICE, "/proposals", several).statusCode(422).body("errors.field", contains("spec", "title"));

        post(ALICE, "/proposals", "{\"id\": \"x\", ").statusCode(400).contentType("application/problem+json");
        post(ALICE, "/proposals", "[1, 2]").statusCode(400).contentType("application/problem+json");

        Map<String, Object> wrongType = body(Proposals.newId());
        wrongType.put("components", "linux-frontend");
        post(ALICE, "/proposals", wrongType).statusCode(422).body("errors.field", contains("components"));

        given().header("Authorization", ALICE).contentType("application/json").when().post("/proposals")
                .then().statusCode(422).contentType("application/problem+json");

        // PostgreSQL's text cannot hold NUL: refused where it comes in, not failed at the database.
        Map<String, Object> nul = body(Proposals.newId());
        nul.put("title", "PV Calls\u0000 protocol");
        post(ALICE, "/proposals", nul).statusCode(422).contentType("application/problem+json")
                .body("errors.field", contains("title"))
                .body("errors.message", contains("must not contain the NUL character (U+0000)"));
        given().header("Authorization", ALICE).urlEncodingEnabled(false).when().get("/proposals/pv%00calls")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", contains("path"));
        given().header("Authorization", ALICE).urlEncodingEnabled(false).when().get("/proposals/pvcalls/events?from=%00")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", contains("from"));

        Map<String, Object> huge = body(Proposals.newId());
        huge.put("spec", "# ABI\n" + "x".repeat(1024 * 1024));
        post(ALICE, "/proposals", huge).statusCode(413).contentType("application/problem+json")
                .body("errors.field", contains("spec"));
    }

    @Test
    void theOwnerRevisesAndGetsTheRevisionWithItsWarnings() {
        String id = Proposals.submit("alice");
        post(ALICE, "/proposals/" + id + "/revisions",
                Map.of("spec", "# ABI\n```c\nstruct req { int id; };\n```\n", "note", "ring layout"))
                .statusCode(201)
                .body("revision", equalTo(2))
                .body("warnings", contains("C_STRUCTS_DISCOURAGED"))
                .body("missingSections", contains("xenstore handshake", "protocol operation"));
        given().header("Authorization", ALICE).when().get("/proposals/" + id).then()
                .body("revision", equalTo(2)).body("warnings", contains("C_STRUCTS_DISCOURAGED"));

        post(BOB, "/proposals/" + id + "/revisions", Map.of("spec", "# x")).statusCode(409)
                .body("type", endsWith("/not-the-owner"));
        post(ALICE, "/proposals/unknown-" + id + "/revisions", Map.of("spec", "# x")).statusCode(404);
        post(ALICE, "/proposals/" + id + "/revisions", Map.of("note", "no spec")).statusCode(422)
                .body("errors.field", contains("spec"));
    }

    @Test
    void evidenceIsCheckedPerKind() {
        String id = Proposals.submit("alice");
        post(ALICE, "/proposals/" + id + "/evidence", Map.of("kind", "PATCHES_POSTED", "reference",
                "<20261126.1@xen.org>", "detail", Map.of("list", "xen-devel")))
                .statusCode(201).body("kind", equalTo("PATCHES_POSTED")).body("detail.list", equalTo("xen-devel"))
                .body("stage", equalTo("DESIGN"));
        post(ALICE, "/proposals/" + id + "/evidence", Map.of("kind", "COMPAT_PROMISES", "reference", "docs",
                "detail", Map.of("backward", "v1 frontends keep working")))
                .statusCode(422).body("errors.field", contains("detail.crossPlatform"));
        // Only control characters: nothing to read (it was kept empty, in an event every consumer refused).
        post(ALICE, "/proposals/" + id + "/evidence", Map.of("kind", "COMPAT_PROMISES", "reference", "docs",
                "detail", Map.of("backward", "\u0001\t", "crossPlatform", "no OS-specific fields")))
                .statusCode(422).body("errors.field", contains("detail.backward"));
        post(ALICE, "/proposals/" + id + "/evidence", Map.of("kind", "VERSION_BUMPED", "reference", "docs",
                "detail", Map.of("version", "two")))
                .statusCode(422).body("errors.field", contains("detail.version"));
        post(ALICE, "/proposals/" + id + "/evidence", Map.of("kind", "SIGNED_IN_BLOOD", "reference", "r"))
                .statusCode(422).body("errors.field", contains("kind"));
        post(ALICE, "/proposals/" + id + "/evidence", Map.of("kind", "DESIGN_COMMITTED")).statusCode(422)
                .body("errors.field", contains("reference"));
        post(BOB, "/proposals/" + id + "/evidence", Map.of("kind", "DESIGN_COMMITTED", "reference", "abc"))
                .statusCode(409);
        post(ALICE, "/proposals/" + id + "/evidence", Map.of("kind", "DESIGN_COMMITTED", "reference", "abc123"))
                .statusCode(201);

        given().header("Authorization", BOB).when().get("/proposals/" + id).then()
                .body("evidence.kind", contains("PATCHES_POSTED", "DESIGN_COMMITTED"));
    }

    @Test
    void aSecondReviewRequestWhileTheWindowIsOpenIsRefused() {
        String id = Proposals.submit("alice");
        post(BOB, "/proposals/" + id + "/review-requests", Map.of()).statusCode(409);
        post(ALICE, "/proposals/" + id + "/review-requests", Map.of()).statusCode(202)
                .body("stage", equalTo("DESIGN"));
        post(ALICE, "/proposals/" + id + "/review-requests", Map.of()).statusCode(409)
                .body("type", endsWith("/review-window-open"));
    }

    @Test
    void theOwnerOrTheCzarWithdrawsAndThenOnlyReadsWork() {
        String id = Proposals.submit("alice");
        post(BOB, "/proposals/" + id + "/withdrawal", Map.of("reason", "mine now")).statusCode(409);
        post(CZAR, "/proposals/" + id + "/withdrawal", Map.of()).statusCode(422).body("errors.field", contains("reason"));
        post(CZAR, "/proposals/" + id + "/withdrawal", Map.of("reason", "superseded by pvcalls-v3")).statusCode(202)
                .body("stage", equalTo("WITHDRAWN"));

        post(ALICE, "/proposals/" + id + "/revisions", Map.of("spec", "# x")).statusCode(409)
                .body("type", endsWith("/proposal-closed"));
        post(ALICE, "/proposals/" + id + "/withdrawal", Map.of("reason", "again")).statusCode(409);
        post(ALICE, "/proposals/" + id + "/review-requests", Map.of()).statusCode(409);
        given().header("Authorization", ALICE).when().get("/proposals/" + id).then().statusCode(200)
                .body("stage", equalTo("WITHDRAWN"));
    }

    @Test
    void theEventsReadBackInOrderAsStructuredCloudEvents() {
        String id = Proposals.submit("alice");
        post(ALICE, "/proposals/" + id + "/revisions", Map.of("spec", "# ABI")).statusCode(201);
        post(ALICE, "/proposals/" + id + "/review-requests", Map.of()).statusCode(202);

        given().header("Authorization", CAROL_REVIEWER).when().get("/proposals/" + id + "/events").then()
                .statusCode(200)
                .body("$", hasSize(3))
                .body("sequence", contains(1, 2, 3))
                .body("type", contains("pv.proposal.submitted.v1", "pv.proposal.revised.v1",
                        "pv.proposal.review-requested.v1"))
                .body("specversion", hasItem("1.0"))
                .body("[0].source", equalTo("/proposal-service"))
                .body("[0].subject", equalTo(id))
                .body("[0].actor", equalTo("alice"))
                .body("[1].data.revision", equalTo(2));
        given().header("Authorization", ALICE).when().get("/proposals/none-" + id + "/events").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aLongHistoryIsReadWholeThoughSentAPageAtATime() {
        String id = Proposals.submit("alice");
        // More than a page of events (100), and revisions of nearly a MiB each: more than a page's 8 MiB.
        String big = "# ABI\n" + "x".repeat(1000 * 1000);
        for (int i = 0; i < 10; i++) {
            post(ALICE, "/proposals/" + id + "/revisions", Map.of("spec", big + i)).statusCode(201);
        }
        for (int i = 0; i < 100; i++) {
            post(ALICE, "/proposals/" + id + "/revisions", Map.of("spec", "# ABI\nrevision " + i)).statusCode(201);
        }
        List<Integer> sequences = given().header("Authorization", CAROL_REVIEWER).when()
                .get("/proposals/" + id + "/events").then().statusCode(200).contentType("application/json")
                .extract().jsonPath().getList("sequence");
        assertThat(sequences).hasSize(111).isSorted().doesNotHaveDuplicates();
        assertThat(sequences.get(110)).isEqualTo(111);
    }

    static final List<String> PVCALLS_PATHS = List.of("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h");

    @Test
    void thePathsAreAcceptedShownAndCarriedInTheSubmittedEvent() {
        String id = Proposals.newId();
        Map<String, Object> body = body(id);
        body.put("paths", PVCALLS_PATHS);
        post(ALICE, "/proposals", body).statusCode(201).body("paths", equalTo(PVCALLS_PATHS));
        given().header("Authorization", CAROL_REVIEWER).when().get("/proposals/" + id).then().statusCode(200)
                .body("paths", equalTo(PVCALLS_PATHS));
        given().header("Authorization", ALICE).when().get("/proposals/" + id + "/events").then()
                .body("[0].data.paths", equalTo(PVCALLS_PATHS));

        List<ConsumerRecord<String, String>> submitted = TopicProbe.readUntil(Topics.PROPOSAL, Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> id.equals(r.key())))
                .stream().filter(r -> id.equals(r.key())).toList();
        assertThat(submitted).hasSize(1);
        assertThat(EventJson.mapper().convertValue(EventJson.tree(submitted.get(0).value()).path("paths"), List.class))
                .isEqualTo(PVCALLS_PATHS);

        post(ALICE, "/proposals/" + id + "/revisions", Map.of("spec", Proposals.SPEC)).statusCode(201);
        given().header("Authorization", ALICE).when().get("/proposals/" + id).then()
                .body("paths", equalTo(PVCALLS_PATHS));
        post(ALICE, "/proposals/" + id + "/revisions", Map.of("spec", Proposals.SPEC,
                "paths", List.of("docs/misc/pvcalls-v2.pandoc"))).statusCode(201);
        given().header("Authorization", ALICE).when().get("/proposals/" + id).then()
                .body("paths", contains("docs/misc/pvcalls-v2.pandoc"));
    }

    @Test
    void aProposalWithoutPathsShowsNoneAndItsEventHasNoField() {
        String id = Proposals.submit("alice");
        given().header("Authorization", ALICE).when().get("/proposals/" + id).then().body("paths", empty());
        given().header("Authorization", ALICE).when().get("/proposals/" + id + "/events").then()
                .body("[0].data", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("paths")));
    }

    @Test
    void badPathsAreRefusedNamingTheEntry() {
        for (String bad : List.of("/etc/passwd", "docs/../../etc/passwd", "..", "docs/..", " ", "",
                " docs/x", "docs/x\n", "x".repeat(257))) {
            Map<String, Object> body = body(Proposals.newId());
            body.put("paths", List.of("docs/misc/pvcalls.pandoc", bad));
            post(ALICE, "/proposals", body).statusCode(422).contentType("application/problem+json")
                    .body("errors.field", contains("paths[1]"));
        }
        Map<String, Object> tooMany = body(Proposals.newId());
        tooMany.put("paths", java.util.stream.IntStream.range(0, 65).mapToObj(i -> "docs/f" + i).toList());
        post(ALICE, "/proposals", tooMany).statusCode(422).body("errors.field", contains("paths"));

        Map<String, Object> notAList = body(Proposals.newId());
        notAList.put("paths", "docs/misc/pvcalls.pandoc");
        post(ALICE, "/proposals", notAList).statusCode(422).body("errors.field", contains("paths"));

        Map<String, Object> fine = body(Proposals.newId());
        fine.put("paths", List.of("tools/..hidden/a..b", "x".repeat(256)));
        post(ALICE, "/proposals", fine).statusCode(201);

        String id = Proposals.submit("alice");
        post(ALICE, "/proposals/" + id + "/revisions", Map.of("spec", Proposals.SPEC, "paths", List.of("/abs")))
                .statusCode(422).body("errors.field", contains("paths[0]"));
    }
}
