package org.pvlifecycle.proposal;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.testkit.OnVertx;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestKafka;
import org.pvlifecycle.testkit.TestTokens;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.pvlifecycle.proposal.Proposals.post;

/**
 * The first half of "a restart between accepting a command and publishing it": the command is
 * accepted while Kafka is down, and this instance of the service is then shut down with the event
 * (Quarkus runs the test classes of one profile together, by class name: this one comes last
 * among those of the default profile, and the one with a profile of its own after them)
 * still in its outbox. {@link RestartPublishedByTheNextInstanceIT} starts a new instance and Kafka.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class RestartAcceptedWhileKafkaDownIT {
    static final String UNPUBLISHED = "pvl.test.unpublished-proposal";

    @Test
    void acceptsARevisionWhileKafkaIsDown() {
        String id = Proposals.submit("alice");
        // The submission is published and its outbox row gone before Kafka stops: a send cut
        // off by the stop, its acknowledgement lost, would leave the row to be sent again by the
        // next instance (the outbox publishes at least once; the consumers' inboxes take it once).
        await().atMost(Duration.ofSeconds(30)).until(() -> OnVertx.await(() -> SessionSql.select(
                "select count(*) from outbox o join events e using (event_id) where e.aggregate_id = $1", id))
                .get(0)[0].equals(0L));
        TestKafka.stop();
        System.setProperty(UNPUBLISHED, id);
        post(TestTokens.mint("alice", "contributor"), "/proposals/" + id + "/revisions",
                Map.of("spec", "# ABI\naccepted while Kafka is down")).statusCode(201)
                .body("revision", equalTo(2));
        // Kafka stays down: Quarkus stops this instance before the next test class runs.
    }
}
