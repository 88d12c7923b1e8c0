package org.pvlifecycle.notification;

import io.restassured.path.json.JsonPath;
import org.pvlifecycle.testkit.TestTokens;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** What the notification tests share: people, subscribing and reading the delivery log. */
final class Notifications {
    static final String ALICE = TestTokens.mint("alice", "contributor");
    static final String BOB = TestTokens.mint("bob", "reviewer");
    static final String OPS = TestTokens.mint("ops", "operator");

    static JsonPath subscribe(String token, Map<String, Object> body) {
        return given().header("Authorization", token).contentType("application/json").body(body)
                .when().post("/subscriptions").then().log().ifValidationFails().statusCode(201).extract().jsonPath();
    }

    static String newProposal() {
        return "pv-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<Map<String, Object>> deliveries(String token, String subscription) {
        return given().header("Authorization", token).when().get("/deliveries?size=200&subscription=" + subscription)
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    private Notifications() {
    }
}
