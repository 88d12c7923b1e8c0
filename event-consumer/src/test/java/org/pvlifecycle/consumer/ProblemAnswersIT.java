package org.pvlifecycle.consumer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.PvlTestResources;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a request fails with reaches the client as a problem, never as Quarkus's own error
 * page: PostgresOutageIT once got that page (a 500) for an ack whose statement was queued on a
 * connection that PostgreSQL's immediate shutdown had closed, because the client's failure was a
 * Throwable and not an exception.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class ProblemAnswersIT {

    @Test
    void aStatementOnAConnectionThatWentAwayIsA503Problem() {
        Response answer = given().get("/test-failures/closed-connection");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.header("Retry-After")).isEqualTo("5");
        assertThat(answer.jsonPath().getString("type")).endsWith("/service-unavailable");
    }

    @Test
    void aThrowableThatIsNotAnExceptionIsALogged500Problem() {
        Response answer = given().get("/test-failures/bare-throwable");
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.jsonPath().getString("type")).endsWith("/internal-error");
    }
}
