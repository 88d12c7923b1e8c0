package org.pvlifecycle.proposal;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestTokens;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.pvlifecycle.proposal.Proposals.post;

/**
 * A proposal that names no components gets those of the policy's MAINTAINERS sections covering
 * its paths, as xen.git's get_maintainer.pl finds them: here three sections of the real file (the
 * public I/O headers, the Python bindings, and THE REST, which drops out where a maintained section
 * covers the path).
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class ComponentsFromPathsIT {
    static final String ALICE = TestTokens.mint("alice", "contributor");
    static final String IO = "public-i-o-interfaces-and-pv-drivers-designs";

    static PolicyChanged maintainersPolicy() {
        Map<String, PolicyChanged.Component> components = new LinkedHashMap<>();
        components.put(IO, new PolicyChanged.Component("PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS",
                List.of("xen/include/public/io/"), List.of(), List.of("Juergen Gross <jgross@suse.com>")));
        components.put("python-bindings", new PolicyChanged.Component("PYTHON BINDINGS", List.of("tools/python"),
                List.of(), List.of("Marek Marczykowski-Górecki <marmarek@invisiblethingslab.com>")));
        components.put("the-rest", new PolicyChanged.Component("THE REST", List.of("*", "*/"), List.of(),
                List.of("Jan Beulich <jbeulich@suse.com>")));
        Map<String, List<String>> maintainers = new LinkedHashMap<>();
        maintainers.put(IO, List.of("jgross@suse.com"));
        maintainers.put("python-bindings", List.of("marmarek@invisiblethingslab.com"));
        maintainers.put("the-rest", List.of("jbeulich@suse.com"));
        return new PolicyChanged(1_000, Map.of(Stage.DESIGN, Duration.ofDays(14), Stage.PROTOTYPE,
                Duration.ofDays(14), Stage.PRODUCTION, Duration.ofDays(28)), Duration.ofDays(3), Duration.ofDays(7),
                Duration.ofDays(7), false, false, maintainers, components);
    }

    static Map<String, Object> withPaths(String id, List<String> paths) {
        return new HashMap<>(Map.of("id", id, "title", "PV Calls v2", "summary", "", "spec", Proposals.SPEC,
                "paths", paths));
    }

    @Test
    void theComponentsOfAProposalThatNamesNoneAreThoseCoveringItsPaths() {
        ProposalEventsIT.sendConsensusEvent(UUID.randomUUID().toString(), maintainersPolicy(),
                "pv.consensus.policy-changed.v1");
        String id = Proposals.newId();
        // Until the policy arrives no component covers the paths: a 422 that says so, then a 201.
        await().atMost(Duration.ofSeconds(30)).until(() -> post(ALICE, "/proposals",
                withPaths(id, List.of("xen/include/public/io/pvcalls.h", "tools/python/xen/lowlevel/xc.c",
                        "docs/misc/pvcalls.pandoc"))).extract().statusCode() == 201);
        given().header("Authorization", ALICE).when().get("/proposals/" + id).then().statusCode(200)
                .body("components", contains(IO, "python-bindings", "the-rest"));

        String onlyIo = Proposals.newId();
        post(ALICE, "/proposals", withPaths(onlyIo, List.of("xen/include/public/io/displif.h"))).statusCode(201)
                .body("components", contains(IO));
    }

    @Test
    void neitherComponentsNorPathsIsAProblemNamingTheComponents() {
        Map<String, Object> body = withPaths(Proposals.newId(), List.of());
        post(ALICE, "/proposals", body).statusCode(422).body("errors.field", contains("components"))
                .body("errors[0].message", containsString("paths"));
    }
}
