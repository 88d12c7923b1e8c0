package org.pvlifecycle.testkit;



import java.time.Duration;
import java.nio.file.Path;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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

    /**
     * {@code path} needs a valid token: none, one signed by a stranger's key, an expired one or a
     * valid one altered is a 401 problem.
     */
    public static void assertNeedsValidToken(String path) {
        given().when().get(path).then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
        given().header("Authorization", "Bearer " + strangersToken()).when().get(path).then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer not.a.jwt").when().get(path).then().statusCode(401);
        // Past its exp by more than the parser's clock skew (60 s).
        given().header("Authorization", "Bearer " + TestTokens.rawValidFor(Duration.ofMinutes(-5), "alice", "contributor"))
                .when().get(path).then().statusCode(401).contentType("application/problem+json");
        // A valid token is accepted and kept by the cache of verified tokens; a copy of it with a role
        // added is a different token, verified, and refused.
        String valid = TestTokens.raw("alice", "contributor");
        given().header("Authorization", "Bearer " + valid).when().get(path);
        given().header("Authorization", "Bearer " + withAddedRole(valid, "czar")).when().get(path).then().statusCode(401)
                .contentType("application/problem+json");
    }

    /** {@code token} with {@code role} added to its groups claim and its signature left as it was. */
    public static String withAddedRole(String token, String role) {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String tampered = claims.replace("\"groups\":[", "\"groups\":[\"" + role + "\",");
        if (tampered.equals(claims)) {
            throw new IllegalArgumentException("no groups claim in " + claims);
        }
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(tampered.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
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
