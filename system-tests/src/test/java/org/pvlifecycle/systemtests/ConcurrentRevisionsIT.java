package org.pvlifecycle.systemtests;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * Scenario 5: 32 clients revise the same 10 proposals at the same moment, one proposal after the
 * other. Every answer is a 2xx or a 409 {@code concurrent-change} problem, and each proposal's
 * versions are 1..n without a gap, n being its submission plus its accepted revisions.
 */
@Order(5)
@ExtendWith(StackExtension.class)
class ConcurrentRevisionsIT {
    static final int CLIENTS = 32;
    static final int PROPOSALS = 10;

    private final Stack stack;
    private final Report report;

    ConcurrentRevisionsIT(Stack stack, Report report) {
        this.stack = stack;
        this.report = report;
    }

    @Test
    void racingRevisionsAreAcceptedOrRefusedAsConcurrentChangesAndLeaveNoGap() throws Exception {
        Scenario scenario = Scenario.begin(CLIENTS + " clients x " + PROPOSALS + " proposals racing", stack, PROPOSALS);
        List<String> proposals = scenario.proposals();
        // Every client sends its revision of a proposal at the same moment as the 31 others.
        CyclicBarrier together = new CyclicBarrier(CLIENTS);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            done.add(clients.submit(() -> {
                for (String proposal : proposals) {
                    together.await(60, TimeUnit.SECONDS);
                    scenario.send(Command.revise(proposal));
                }
                return null;
            }));
        }
        try {
            for (Future<?> client : done) {
                client.get(5, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        Audit audit = scenario.finish(report);

        List<Sent> revisions = scenario.sent().stream().filter(s -> s.command().kind() == Command.Kind.REVISE).toList();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(revisions).hasSize(CLIENTS * PROPOSALS);
        for (Sent s : revisions) {
            Outcome outcome = s.answer().outcome();
            softly.assertThat(outcome).as("%s", s).isIn(Outcome.ACCEPTED, Outcome.CONFLICT);
            if (outcome == Outcome.CONFLICT) {
                softly.assertThat(s.answer().json().path("type").asText()).as("%s", s).endsWith("concurrent-change");
            }
        }
        for (String proposal : proposals) {
            long accepted = revisions.stream().filter(s -> s.command().proposalId().equals(proposal)
                    && s.answer().outcome() == Outcome.ACCEPTED).count();
            softly.assertThat(scenario.ledger.versions(proposal))
                    .as("%s's versions: its submission and %d accepted revisions", proposal, accepted)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 1 + accepted).boxed().toList());
        }
        softly.assertAll();
        audit.assertNothingLost();
    }
}
