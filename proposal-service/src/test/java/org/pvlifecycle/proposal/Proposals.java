package org.pvlifecycle.proposal;

import io.restassured.response.ValidatableResponse;
import org.pvlifecycle.testkit.TestTokens;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Requests the proposal tests make, as a client would make them. */
final class Proposals {
    static final String SPEC = """
            # PV Calls v2
            ## XenStore handshake
            The frontend writes ring-ref.
            ## ABI
            Little-endian.
            ## Protocol operation
            One ring.
            """;

    static String newId() {
        return "pv-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> body(String id) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("title", "PV Calls version 2");
        body.put("summary", "Socket calls over a shared ring");
        body.put("components", List.of("linux-frontend", "qemu-backend"));
        body.put("spec", SPEC);
        return body;
    }

    static ValidatableResponse post(String token, String path, Object body) {
        return given().header("Authorization", token).contentType("application/json").body(body)
                .when().post(path).then().log().ifValidationFails();
    }

    static String submit(String owner) {
        String id = newId();
        post(TestTokens.mint(owner, "contributor"), "/proposals", body(id)).statusCode(201);
        return id;
    }

    private Proposals() {
    }
}
