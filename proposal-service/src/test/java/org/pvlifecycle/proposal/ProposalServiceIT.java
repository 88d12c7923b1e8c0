package org.pvlifecycle.proposal;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.ServiceConventions;
import org.pvlifecycle.testkit.TestTokens;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class ProposalServiceIT {

    @Test
    void isOperableAndChecksTokens() {
        ServiceConventions.assertOperable("pv-lifecycle proposal-service");
        ServiceConventions.assertNeedsValidToken("/proposals/unknown-1");

        given().header("Authorization", TestTokens.mint("alice", "contributor"))
                .when().get("/proposals/unknown-1")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("instance", equalTo("/proposals/unknown-1"));
    }
}
