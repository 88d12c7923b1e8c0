package org.pvlifecycle.notification;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.PvlTestResources;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.notification.Notifications.ALICE;
import static org.pvlifecycle.notification.Notifications.deliveries;

/** Second half: the restarted service sends what the stopped one left pending, once each. */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@QuarkusTestResource(SmtpTestResource.class)
@TestProfile(RestartDeliveriesSentOnceIT.BRestarted.class)
class RestartDeliveriesSentOnceIT {

    /**
     * The new instance starts sending as soon as it is up, which can be before this test's receiver
     * listens: its first tries are then refused. The test profile's retries (0.2 s apart, three tries)
     * would use them all up in under a second and leave the deliveries FAILED; here they are spread
     * over about a minute, as an operator's would be, so a refused first try is retried once the
     * receiver listens.
     */
    public static class BRestarted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pvl.deliveries.enabled", "true",
                    "pvl.deliveries.retry.base", "PT1S",
                    "pvl.deliveries.retry.max-attempts", "7");
        }
    }

    @Test
    void thePendingDeliveriesGoOutOnceEach() throws Exception {
        String port = System.getProperty(RestartDeliveriesPendingIT.PORT);
        String sid = System.getProperty(RestartDeliveriesPendingIT.SUBSCRIPTION);
        assertThat(sid).as("RestartDeliveriesPendingIT ran first").isNotNull();
        try (WebhookReceiver receiver = WebhookReceiver.start(Integer.parseInt(port), RestartDeliveriesPendingIT.SECRET,
                Duration.ZERO, 200)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ALICE, sid).stream()
                    .allMatch(d -> "DELIVERED".equals(d.get("status"))));
            await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
            // The new instance may try before this receiver listens (a refused connection, retried):
            // what counts is that each delivery was accepted once, and nothing came twice.
            assertThat(deliveries(ALICE, sid)).hasSize(3).allSatisfy(d -> assertThat(
                    (List<Map<String, Object>>) d.get("attemptLog")).filteredOn(a -> Integer.valueOf(200)
                    .equals(a.get("statusCode"))).hasSize(1));
            assertThat(receiver.received).hasSize(3);
            assertThat(receiver.received).extracting(WebhookReceiver.Received::id).doesNotHaveDuplicates();
            assertThat(receiver.received).extracting(WebhookReceiver.Received::signatureValid).containsOnly(true);
            assertThat(receiver.received).extracting(WebhookReceiver.Received::body)
                    .anySatisfy(b -> assertThat(b).contains("revision 2"))
                    .anySatisfy(b -> assertThat(b).contains("revision 3"))
                    .anySatisfy(b -> assertThat(b).contains("revision 4"));
        }
    }
}
