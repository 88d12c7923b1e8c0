package org.pvlifecycle.notification;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.testkit.OnVertx;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.pvlifecycle.notification.Notifications.ALICE;
import static org.pvlifecycle.notification.Notifications.deliveries;
import static org.pvlifecycle.notification.Notifications.newProposal;
import static org.pvlifecycle.notification.Notifications.subscribe;

/**
 * A webhook's target is checked again before every attempt: after an operator narrows the
 * allowed hosts, a subscription made before (to a host no longer allowed) gets nothing, and its
 * delivery dies at once instead of being retried; nor can it be retried by hand.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@QuarkusTestResource(SmtpTestResource.class)
@TestProfile(AllowListNarrowedIT.OnlyLocalhost.class)
class AllowListNarrowedIT {

    public static class OnlyLocalhost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pvl.webhooks.allowed-hosts", "localhost");
        }
    }

    @Test
    void aTargetNoLongerAllowedIsRefusedAtSendingAndNotRetriedNorRetriableByHand() throws Exception {
        String secret = WebhookReceiver.secret("allow");
        try (WebhookReceiver receiver = WebhookReceiver.answering(secret, 200)) {
            String proposal = newProposal();
            Map<String, Object> types = Map.of("types", List.of("pv.proposal.revised.v1"), "proposal", proposal,
                    "channel", "WEBHOOK", "secret", secret);
            String allowed = subscribe(ALICE, Notifications.merge(types,
                    Map.of("target", "http://localhost:" + receiver.port() + "/hook"))).getString("id");
            // Made before the operator allowed only localhost: the API would refuse it now.
            String before = UUID.randomUUID().toString();
            OnVertx.await(() -> SessionSql.update("""
                            insert into subscriptions (id, owner, channel, target, types, proposal, secret, czar, created_at)
                            values ($1, 'alice', 'WEBHOOK', $2, 'pv.proposal.revised.v1', $3, $4, false, $5)""",
                    before, receiver.url(), proposal, secret, OffsetDateTime.now()));

            TopicProbe.publish(new ProposalRevised(proposal, 2, "# ABI", "n", List.of(), List.of()), "alice");

            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ALICE, allowed).stream()
                    .anyMatch(d -> "DELIVERED".equals(d.get("status"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ALICE, before).stream()
                    .anyMatch(d -> "DEAD".equals(d.get("status"))));
            assertThat(deliveries(ALICE, before)).singleElement().satisfies(d -> {
                assertThat(d).containsEntry("attempts", 1);
                assertThat((String) d.get("lastError")).contains("must be one of the hosts the operator allows");
            });
            assertThat(receiver.received).hasSize(1);
            // Retried by hand, it would die at once again: refused, and left as it was.
            String dead = (String) deliveries(ALICE, before).get(0).get("id");
            given().header("Authorization", ALICE).when().post("/deliveries/" + dead + "/retry").then()
                    .log().ifValidationFails().statusCode(409).contentType("application/problem+json")
                    .body("type", endsWith("/target-refused"))
                    .body("detail", containsString("must be one of the hosts the operator allows"));
            assertThat(deliveries(ALICE, before)).singleElement().satisfies(d -> assertThat(d)
                    .containsEntry("status", "DEAD").containsEntry("attempts", 1)
                    .containsEntry("retries", List.of()));
            var failed = TopicProbe.readUntil(Topics.NOTIFICATION, Duration.ofSeconds(30),
                    records -> records.stream().anyMatch(r -> proposal.equals(r.key())));
            assertThat(failed).filteredOn(r -> proposal.equals(r.key())).singleElement()
                    .satisfies(r -> assertThat(r.value()).contains(before));
        }
    }
}
