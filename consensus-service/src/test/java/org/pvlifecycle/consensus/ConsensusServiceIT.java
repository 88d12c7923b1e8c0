package org.pvlifecycle.consensus;

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
class ConsensusServiceIT {

    @Test
    void isOperableAndChecksTokens() {
        ServiceConventions.assertOperable("pv-lifecycle consensus-service");
        ServiceConventions.assertNeedsValidToken("/proposals/unknown-1/eligibility");

        given().header("Authorization", TestTokens.mint("alice", "contributor"))
                .when().get("/proposals/unknown-1/eligibility")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("instance", equalTo("/proposals/unknown-1/eligibility"));
    }
}
