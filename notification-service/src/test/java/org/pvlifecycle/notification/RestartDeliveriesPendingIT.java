package org.pvlifecycle.notification;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.notification.Notifications.ALICE;
import static org.pvlifecycle.notification.Notifications.deliveries;
import static org.pvlifecycle.notification.Notifications.newProposal;
import static org.pvlifecycle.notification.Notifications.subscribe;

/**
 * First half of "pending deliveries survive a restart": an instance that plans deliveries but
 * sends none (as good as one stopped before its worker ran) is shut down with them pending.
 * {@link RestartDeliveriesSentOnceIT} starts a new instance and a receiver on the port the
 * subscription names. (Quarkus runs the test classes of each profile together, ordered by the
 * profiles' names: "APaused" before "BRestarted".)
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@QuarkusTestResource(SmtpTestResource.class)
@TestProfile(RestartDeliveriesPendingIT.APaused.class)
class RestartDeliveriesPendingIT {
    static final String PORT = "pvl.test.pending-receiver-port";
    static final String SUBSCRIPTION = "pvl.test.pending-subscription";
    static final String SECRET = WebhookReceiver.secret("restart");

    public static class APaused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pvl.deliveries.enabled", "false");
        }
    }

    @Test
    void threeDeliveriesArePlannedAndNoneIsSent() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String proposal = newProposal();
        String sid = subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", "http://127.0.0.1:" + port + "/hook",
                "types", List.of("pv.proposal.revised.v1"), "proposal", proposal, "secret", SECRET)).getString("id");
        for (int revision = 2; revision <= 4; revision++) {
            String eventId = UUID.randomUUID().toString();
            ProposalRevised revised = new ProposalRevised(proposal, revision, "# ABI\nrevision " + revision, "n",
                    List.of(), List.of());
            TopicProbe.publish(revised, "alice", eventId);
            if (revision == 3) {
                TopicProbe.publish(revised, "alice", eventId);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ALICE, sid).size() == 3);
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        assertThat(deliveries(ALICE, sid)).hasSize(3).allSatisfy(d -> assertThat(d)
                .containsEntry("status", "PENDING").containsEntry("attempts", 0));
        System.setProperty(PORT, String.valueOf(port));
        System.setProperty(SUBSCRIPTION, sid);
    }
}
