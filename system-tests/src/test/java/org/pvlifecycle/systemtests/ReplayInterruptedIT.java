package org.pvlifecycle.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 4: the projection service killed with {@code kill -9} in the middle of
 * {@code POST /admin/replay} (which answers 202 and runs on a thread of its own, reporting its
 * progress at {@code GET /admin/replay}), then started again. Everything is applied exactly once,
 * and a fresh replay gives the same views.
 */
@Order(4)
@ExtendWith(StackExtension.class)
class ReplayInterruptedIT {
    /**
     * The replay reports progress every 500 records and reads about 2,000 a second here: with this
     * many on the topics it is caught running with a second to spare. Earlier scenarios leave
     * more; run alone, this one writes them first.
     */
    static final long ENOUGH_TO_REPLAY = 2000;
    static final int WRITERS = 8;

    private final Stack stack;
    private final Report report;

    ReplayInterruptedIT(Stack stack, Report report) {
        this.stack = stack;
        this.report = report;
    }

    @Test
    void aReplayCutShortLeavesEverythingAppliedOnceAndAFreshReplayGivesTheSameViews() throws Exception {
        Scenario scenario = Scenario.begin("projection kill -9 mid-replay", stack, 4);
        writeUntilEnoughToReplay(scenario);
        JsonNode cutAt;
        Load load = scenario.startLoad();
        try {
            Sleep.millis(2000);
            Answer started = scenario.api.startReplay();
            assertThat(started.status()).as("POST /admin/replay: %s", started).isEqualTo(202);
            cutAt = awaitProgress(scenario.api);
            stack.kill9("projection-service");
            Sleep.millis(1000);
        } finally {
            load.stop();
        }
        stack.restart("projection-service");
        scenario.loadFor(Duration.ofSeconds(2));
        Audit audit = scenario.finish(report);
        System.out.println("the replay when the projection was killed: " + cutAt);
        assertThat(cutAt.path("state").asText()).as("the replay was still running when it was cut: %s", cutAt)
                .isEqualTo("RUNNING");
        audit.assertNothingLost();

        Map<String, JsonNode> before = scenario.api.views(scenario.proposals());
        assertThat(scenario.api.startReplay().status()).as("a fresh POST /admin/replay").isEqualTo(202);
        JsonNode done = scenario.api.awaitReplay(Duration.ofSeconds(120));
        System.out.println("the fresh replay: " + done);
        assertThat(done.path("state").asText()).isEqualTo("DONE");
        assertThat(scenario.api.views(scenario.proposals())).as("the projection's views after a fresh replay")
                .isEqualTo(before);
    }

    private static void writeUntilEnoughToReplay(Scenario scenario) throws InterruptedException {
        long missing = ENOUGH_TO_REPLAY - scenario.ledger.tableSizes().get("projection.event_log");
        List<String> proposals = scenario.proposals();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        for (int i = 0; i < missing; i++) {
            String proposal = proposals.get(i % proposals.size());
            writers.execute(() -> scenario.send(Command.revise(proposal)));
        }
        writers.shutdown();
        if (!writers.awaitTermination(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("writing " + missing + " revisions took more than 5 minutes");
        }
    }

    /** The replay's status once it has read some events, or once it is no longer running. */
    private static JsonNode awaitProgress(Api api) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode status = api.replayStatus();
        while (status.path("state").asText().equals("RUNNING") && status.path("eventsRead").asLong() == 0
                && System.nanoTime() < deadline) {
            Sleep.millis(20);
            status = api.replayStatus();
        }
        return status;
    }
}
