package org.pvlifecycle.consensus;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EvidenceDetail;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.pvlifecycle.testkit.Metrics.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.consensus.ConsensusFixtures.CZAR;
import static org.pvlifecycle.consensus.ConsensusFixtures.eligibility;
import static org.pvlifecycle.consensus.ConsensusFixtures.put;

/** The default policy's days-long deadlines, reached by moving the service's clock instead of waiting. */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class MovedClockIT {

    @AfterEach
    void realTime() {
        AdjustableClock.reset();
    }

    @Test
    void fourteenDaysLaterTheWindowHasClosedAndSevenSilentDaysLapsedTheObjection() {
        put(CZAR, "/policy", ConsensusFixtures.policy("P14D", "P7D", "P7D", false)).statusCode(200);
        String id = ConsensusFixtures.submitted(ConsensusFixtures.newId(), "linux-frontend");
        TopicProbe.publish(new EvidenceRecorded(id, "e1", Stage.DESIGN, EvidenceKind.DESIGN_COMMITTED, "ref",
                EvidenceDetail.none()), "alice");
        TopicProbe.publish(new ReviewRequested(id, Stage.DESIGN, 1), "alice");
        String oid = id + ".o1";
        TopicProbe.publish(new ObjectionRaised(id, oid, Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                "The request id is 32 bits wide but the ring is larger.", false), "carol");
        Instant respondBy = Instant.now().plus(Duration.ofDays(1));
        TopicProbe.publish(new ObjectionAnswered(id, oid, "Capped at 2^16.", respondBy), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> eligibility(id).extract().jsonPath()
                .getList("blockers.code").containsAll(List.of("WINDOW_OPEN", "OBJECTION_BLOCKING")));
        assertThat(eligibility(id).extract().jsonPath().getBoolean("eligible")).isFalse();

        AdjustableClock.advance(Duration.ofDays(14).plusSeconds(1));

        List<ConsumerRecord<String, String>> events = ConsensusFixtures.consensusEvents(id,
                "pv.consensus.objection-lapsed.v1", 1);
        assertThat(events).filteredOn(r -> "pv.consensus.objection-lapsed.v1".equals(TopicProbe.header(r, "ce_type")))
                .singleElement().satisfies(r -> assertThat(r.value()).contains(oid));
        await().atMost(Duration.ofSeconds(30)).until(() -> eligibility(id).extract().jsonPath().getBoolean("eligible"));
        // The deadline loop fired the lapse on the service's clock, thirteen days after it fell due.
        // No other deadline can be that late after this move: the other tests' proposals have
        // none within a day from now (the policy's periods are seven and fourteen days, and their
        // answers' respondBy are seconds away and fired long before).
        assertThat(metric("pvl_deadlines_lateness_seconds_max")).isGreaterThanOrEqualTo(Duration.ofDays(13).toSeconds());
    }
}
