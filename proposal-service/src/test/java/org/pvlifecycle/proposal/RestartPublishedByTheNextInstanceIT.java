package org.pvlifecycle.proposal;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestKafka;
import org.pvlifecycle.testkit.TopicProbe;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second half: a new instance of the service (another test profile makes Quarkus start one)
 * finds the accepted event in the outbox and publishes it once Kafka is back, exactly once.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@TestProfile(RestartPublishedByTheNextInstanceIT.Restarted.class)
class RestartPublishedByTheNextInstanceIT {

    /** Differs from the default profile only so that Quarkus starts a fresh instance. */
    public static class Restarted implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "restarted";
        }
    }

    @Test
    void theRestartedServicePublishesTheAcceptedEvent() {
        String id = System.getProperty(RestartAcceptedWhileKafkaDownIT.UNPUBLISHED);
        assertThat(id).as("RestartAcceptedWhileKafkaDownIT ran first").isNotNull();
        TestKafka.start();

        List<ConsumerRecord<String, String>> mine = ProposalEventsIT.recordsOf(id, 2);
        assertThat(mine).extracting(r -> TopicProbe.header(r, "ce_type"))
                .containsExactly("pv.proposal.submitted.v1", "pv.proposal.revised.v1");
        assertThat(mine).extracting(r -> TopicProbe.header(r, "ce_sequence")).containsExactly("1", "2");
    }
}
