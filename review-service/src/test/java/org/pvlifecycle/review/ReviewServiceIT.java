package org.pvlifecycle.review;

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
class ReviewServiceIT {

    @Test
    void isOperableAndChecksTokens() {
        ServiceConventions.assertOperable("pv-lifecycle review-service");
        ServiceConventions.assertNeedsValidToken("/objections/unknown-1");

        given().header("Authorization", TestTokens.mint("alice", "contributor"))
                .when().get("/objections/unknown-1")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("instance", equalTo("/objections/unknown-1"));
    }
}
