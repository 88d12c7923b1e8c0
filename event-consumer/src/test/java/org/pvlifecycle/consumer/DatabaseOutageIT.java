package org.pvlifecycle.consumer;

import org.pvlifecycle.testkit.SampleEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.testkit.DatabaseOutage;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away (every connection dropped, new ones refused) and comes back on the same
 * address: requests get a fast 503 meanwhile, an event that arrives meanwhile is neither
 * acknowledged nor dead-lettered but waits, and is applied exactly once when the database is back,
 * without a restart.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class DatabaseOutageIT {

    @Test
    void requestsAre503AndEventsWaitWhileTheDatabaseIsAwayThenEverythingGoesOn() {
        String proposal = SampleEvents.newProposal();
        String eventId = UUID.randomUUID().toString();
        given().get("/test-effects/" + proposal).then().statusCode(200);

        DatabaseOutage.begin();
        try {
            long started = System.nanoTime();
            Response away = given().get("/test-effects/" + proposal);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(away.statusCode()).isEqualTo(503);
            assertThat(away.contentType()).startsWith("application/problem+json");
            assertThat(away.header("Retry-After")).isEqualTo("5");
            assertThat(away.jsonPath().getString("type")).endsWith("/service-unavailable");
            assertThat(took).as("a database that is away is a fast answer, not a hang").isLessThan(Duration.ofSeconds(2));

            EventConsumerIT.sendObjection(proposal, eventId);
            // Longer than the three attempts after which a failing effect would be dead-lettered.
            List<ConsumerRecord<String, String>> dead = TopicProbe.readUntil(Topics.deadLetter(Topics.REVIEW),
                    Duration.ofSeconds(5), records -> records.stream().anyMatch(r -> proposal.equals(r.key())));
            assertThat(dead).noneMatch(r -> proposal.equals(r.key()));
        } finally {
            DatabaseOutage.end();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/test-effects/" + proposal).statusCode() == 200
                && EventConsumerIT.effects(proposal) == 1);
        given().get("/test-effects/" + proposal).then().statusCode(200);
        assertThat(EventConsumerIT.effects(proposal)).isEqualTo(1);
    }
}
