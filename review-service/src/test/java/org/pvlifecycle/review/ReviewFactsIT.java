package org.pvlifecycle.review;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.review.domain.ProposalFacts;
import org.pvlifecycle.review.persistence.ReviewFactsRepository;
import org.pvlifecycle.testkit.PvlTestResources;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.testkit.OnVertx.await;

/**
 * The facts the review service keeps about a proposal are written by two consumers at once: the
 * stage by the proposal events' and the review window by the consensus events'. Neither may
 * undo what the other wrote.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
class ReviewFactsIT {

    @Inject
    ReviewFactsRepository facts;

    /**
     * The interleaving that lost a stage: the window's transaction has done its write but not
     * committed when the stage's transaction runs. The stage's write must wait for the window's
     * commit (or, if it does not wait, must still not be overwritten by it).
     */
    @Test
    void aStageAdvancedWhileAWindowIsRecordedIsKept() throws Exception {
        String id = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        await(() -> Panache.withTransaction(() -> facts.submitted(id, "alice", List.of("linux-frontend"))));
        Instant windowEnds = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.MICROS);

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Context> windowWritten = new CompletableFuture<>();
            CompletableFuture<Void> commitWindow = new CompletableFuture<>();
            Future<Object> window = threads.submit(() -> await(() -> Panache.withTransaction(() -> facts
                    .window(id, Stage.PROTOTYPE, windowEnds)
                    .invoke(() -> windowWritten.complete(Vertx.currentContext()))
                    .chain(() -> Uni.createFrom().completionStage(commitWindow)))));
            // The window's transaction goes on on its own context, as Hibernate Reactive requires.
            Context windowContext = windowWritten.get(30, TimeUnit.SECONDS);

            Future<Object> stage = threads.submit(() -> await(() -> Panache.withTransaction(() -> facts
                    .stage(id, Stage.PROTOTYPE))));
            // Either the stage's write is done, or it waits for the window's row lock.
            await().atMost(Duration.ofSeconds(30)).until(() -> stage.isDone() || waitsForALock("update known_proposals set stage"));
            windowContext.runOnContext(ignored -> commitWindow.complete(null));
            window.get(30, TimeUnit.SECONDS);
            stage.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        ProposalFacts known = await(() -> facts.known(id)).facts();
        assertThat(known.stage()).as("the stage").isEqualTo(Stage.PROTOTYPE);
        assertThat(known.windowEndsAt()).as("the window of the stage").isEqualTo(windowEnds);
    }

    /**
     * Most eligibility changes announce the window already known: such an announcement, and a
     * stage already known, leave the row as it is (no new row version), while a new window or
     * stage is written.
     */
    @Test
    void aWindowOrStageAlreadyKnownLeavesTheRowAsItIs() {
        String id = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        Instant windowEnds = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.MICROS);
        await(() -> Panache.withTransaction(() -> facts.submitted(id, "alice", List.of("linux-frontend"))
                .chain(() -> facts.window(id, Stage.DESIGN, windowEnds))));
        String written = rowVersion(id);

        await(() -> Panache.withTransaction(() -> facts.window(id, Stage.DESIGN, windowEnds)
                .chain(() -> facts.stage(id, Stage.DESIGN))));
        assertThat(rowVersion(id)).as("the row after the same window and stage again").isEqualTo(written);

        Instant later = windowEnds.plus(Duration.ofDays(1));
        await(() -> Panache.withTransaction(() -> facts.window(id, Stage.DESIGN, later)));
        assertThat(rowVersion(id)).as("the row after a new window").isNotEqualTo(written);
        assertThat(await(() -> facts.known(id)).facts().windowEndsAt()).isEqualTo(later);

        String withLaterWindow = rowVersion(id);
        await(() -> Panache.withTransaction(() -> facts.stage(id, Stage.PROTOTYPE)));
        assertThat(rowVersion(id)).as("the row after a new stage").isNotEqualTo(withLaterWindow);
        assertThat(await(() -> facts.known(id)).facts().stage()).isEqualTo(Stage.PROTOTYPE);
    }

    /** The row's version: PostgreSQL's ctid and xmin change with every update, even one of no value. */
    private static String rowVersion(String proposalId) {
        return (String) await(() -> SessionSql.select(
                "select ctid::text || '/' || xmin::text from known_proposals where proposal_id = $1", proposalId))
                .get(0)[0];
    }

    private static boolean waitsForALock(String statement) {
        return await(() -> SessionSql.select(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like $1",
                statement + "%")).get(0)[0].equals(1L);
    }
}
