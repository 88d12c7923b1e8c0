package org.pvlifecycle.testkit;



import java.time.Duration;
import java.nio.file.Path;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.io.IOException;
import org.pvlifecycle.localstack.LocalIdentityProvider;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * What every service promises an operator and a client, checked the same way in each module:
 * health, OpenAPI and Prometheus metrics under {@code /q}, and JWT checking with problem+json
 * errors on its API.
 */
public final class ServiceConventions {

    /** Health is UP (database and Kafka included), {@code /q/openapi} and {@code /q/metrics} answer. */
    public static void assertOperable(String expectedTitle) {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo(expectedTitle));
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    /** {@code path} needs a valid token: none, or one signed by a stranger's key, is a 401 problem. */
    public static void assertNeedsValidToken(String path) {
        given().when().get(path).then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
        given().header("Authorization", "Bearer " + strangersToken()).when().get(path).then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer not.a.jwt").when().get(path).then().statusCode(401);
    }

    /** A well-formed token with the right issuer, signed by a key the services do not trust. */
    static String strangersToken() {
        try {
            Path keys = Files.createTempDirectory("pvl-stranger-keys");
            return LocalIdentityProvider.in(keys).token(TestTokens.ISSUER, "mallory", Duration.ofHours(1), "czar");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServiceConventions() {
    }
}
