package org.pvlifecycle.mail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.mail.Lists.OPERATOR;

/**
 * The identity map is seeded from the maintainers' addresses of a policy-changed that describes its
 * components (PUT /policy/maintainers at the consensus service): each address not in the map maps
 * to itself, and an address the operator mapped keeps the operator's person.
 */
@QuarkusTest
@QuarkusTestResource(MailTestResources.class)
class IdentitySeedIT {
    static final String IO = "public-i-o-interfaces-and-pv-drivers-designs";

    @AfterEach
    void putBackThePeopleOfTheTestThread() {
        putIdentities(Lists.PEOPLE);
    }

    @Test
    void maintainersAddressesAreSeededAndAnOperatorsMappingIsKept() {
        putIdentities(Map.of("jgross@suse.com", "juergen"));

        policy(Lists.POLICY_VERSION + 1);
        assertThat(identities())
                .containsEntry("jgross@suse.com", "juergen")
                .containsEntry("andrew.cooper3@citrix.com", "andrew.cooper3@citrix.com")
                .containsEntry("roger@xenproject.org", "roger@xenproject.org");

        // The operator replaces the map; the next policy seeds what is missing again and keeps the rest.
        putIdentities(Map.of("andrew.cooper3@citrix.com", "andrew"));
        policy(Lists.POLICY_VERSION + 2);
        assertThat(identities()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "andrew.cooper3@citrix.com", "andrew",
                "jgross@suse.com", "jgross@suse.com",
                "roger@xenproject.org", "roger@xenproject.org"));
    }

    /**
     * A policy of two MAINTAINERS sections on top of the test thread's maintainers and described
     * components, which the other test classes rely on whichever class runs first.
     */
    static void policy(long version) {
        Map<String, List<String>> maintainers = new HashMap<>(Lists.MAINTAINERS);
        maintainers.put(IO, List.of("jgross@suse.com"));
        maintainers.put("the-rest", List.of("andrew.cooper3@citrix.com", "roger@xenproject.org"));
        Map<String, PolicyChanged.Component> components = new HashMap<>(Lists.COMPONENTS);
        components.put(IO, new PolicyChanged.Component("PUBLIC I/O INTERFACES AND PV DRIVERS DESIGNS",
                List.of("xen/include/public/io/"), List.of(), List.of("Juergen Gross <jgross@suse.com>")));
        components.put("the-rest", new PolicyChanged.Component("THE REST", List.of("*"), List.of(),
                List.of("Andrew Cooper <Andrew.Cooper3@Citrix.com>", "Roger Pau Monné <roger@xenproject.org>")));
        TopicProbe.publish(new PolicyChanged(version, Map.of(Stage.DESIGN, Duration.ofDays(14), Stage.PROTOTYPE,
                Duration.ofDays(14), Stage.PRODUCTION, Duration.ofDays(28)), Duration.ofDays(3), Duration.ofDays(7),
                Duration.ofDays(7), false, false, maintainers, components), "xen-czar");
        Lists.awaitRow("select 1 from mail.policy_version where version = ?", version);
    }

    static void putIdentities(Map<String, String> identities) {
        given().header("Authorization", OPERATOR).contentType("application/json").body(identities)
                .when().put("/identities").then().statusCode(200);
    }

    static Map<String, String> identities() {
        return given().header("Authorization", OPERATOR).when().get("/identities").then().statusCode(200)
                .extract().jsonPath().getMap("$", String.class, String.class);
    }
}
