package org.pvlifecycle.consensus;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.testkit.Metrics.metric;
import static org.awaitility.Awaitility.await;

/**
 * First half of "a deadline that falls due while the service is stopped fires once after
 * restart": an instance whose deadline scheduler does not tick (as good as stopped) lets an
 * objection's response deadline pass, and is then shut down. {@link RestartDeadlineFiresOnceIT}
 * starts a new instance. (Quarkus runs the test classes of each profile together, ordered by the
 * profiles' names: "A-paused" before "B-restarted".)
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@TestProfile(RestartDeadlineFallsDueWhileStoppedIT.APaused.class)
class RestartDeadlineFallsDueWhileStoppedIT {
    static final String PROPOSAL = "pvl.test.deadline-proposal";

    public static class APaused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pvl.consensus.tick", "1000h", "pvl.consensus.gauge-refresh", "PT0.5S");
        }
    }

    @Test
    void theResponseDeadlinePassesWithNobodyToFireIt() {
        String id = ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend");
        String oid = id + ".o1";
        Instant respondBy = Instant.now().plusSeconds(2);
        TopicProbe.publish(new ObjectionRaised(id, oid, Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                "The request id is 32 bits wide but the ring is larger.", false), "carol");
        TopicProbe.publish(new ObjectionAnswered(id, oid, "Capped.", respondBy), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> ConsensusFixtures.eligibility(id).extract().asString()
                .contains("may respond until"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(respondBy.plusSeconds(1)));
        // A loop that fires nothing records no lateness; the gauge of the earliest due deadline
        // shows it waiting (this one's, or an earlier test's that fell due meanwhile).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(metric("pvl_deadlines_oldest_due_seconds")).isGreaterThanOrEqualTo(1.0));

        assertThat(ConsensusFixtures.consensusEvents(id, "pv.consensus.eligibility-changed.v1", 1))
                .noneMatch(r -> "pv.consensus.objection-lapsed.v1".equals(TopicProbe.header(r, "ce_type")));
        System.setProperty(PROPOSAL, id);
    }
}
