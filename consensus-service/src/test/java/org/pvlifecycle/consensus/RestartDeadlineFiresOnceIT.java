package org.pvlifecycle.consensus;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.testkit.Metrics.metric;
import static org.awaitility.Awaitility.await;

/** Second half: the restarted service fires the deadline that fell due while it was away, once. */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@TestProfile(RestartDeadlineFiresOnceIT.BRestarted.class)
class RestartDeadlineFiresOnceIT {

    public static class BRestarted implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "restarted";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pvl.consensus.gauge-refresh", "PT0.5S");
        }
    }

    @Test
    void theOverdueDeadlineFiresOnceAfterTheRestart() {
        String id = System.getProperty(RestartDeadlineFallsDueWhileStoppedIT.PROPOSAL);
        assertThat(id).as("RestartDeadlineFallsDueWhileStoppedIT ran first").isNotNull();
        String lapsed = "pv.consensus.objection-lapsed.v1";

        ConsensusFixtures.consensusEvents(id, lapsed, 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        List<ConsumerRecord<String, String>> events = ConsensusFixtures.consensusEvents(id, lapsed, 1);
        assertThat(events.stream().filter(r -> lapsed.equals(TopicProbe.header(r, "ce_type")))).hasSize(1);
        ConsensusFixtures.eligibility(id).statusCode(200);
        assertThat(ConsensusFixtures.eligibility(id).extract().jsonPath().getList("blockers.code"))
                .doesNotContain("OBJECTION_BLOCKING");
        // Nothing due is left waiting once the loop ticks again.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(metric("pvl_deadlines_oldest_due_seconds")).isZero());
    }
}
