package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.projection.domain.LoggedEvent;
import org.pvlifecycle.projection.domain.Statistics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link Reports} answers {@code /stats} and {@code /objections} from memory and when it reads
 * the log again: by {@link ListPages}' rules (ListPagesTest has them in full), with the objection
 * lists kept per proposal asked about and within their own budget.
 */
class ReportsTest {
    private final AtomicInteger logReads = new AtomicInteger();
    /** How many objections the log gives each proposal. */
    private int objectionsEach = 2;
    private Reports reports;
    /** How many rows of the list say their decision is overdue. */
    static final long OVERDUE_ROWS = 3;

    @BeforeEach
    void reports() {
        reports = new Reports();
        reports.registry = new SimpleMeterRegistry();
        reports.repository = new ProjectionRepository() {
            @Override
            public Uni<List<LoggedEvent>> ofTypes(List<String> types, String proposal) {
                logReads.incrementAndGet();
                return Uni.createFrom().item(objections(proposal == null ? "pv-every" : proposal, objectionsEach));
            }

            @Override
            public Uni<Long> decisionsOverdue() {
                return Uni.createFrom().item(OVERDUE_ROWS);
            }
        };
        reports.changes = new ReadModelChanges();
        reports.changes.config = () -> Duration.ofSeconds(1);
        reports.changes.tail = new EventLogTail() {
            @Override
            public long changesSeen() {
                return 0;
            }
        };
        reports.keptReports();
    }

    @Test
    void statsAskedAgainWhileNothingWasAppliedAreTheSameAnswerFromMemory() {
        Instant first = Instant.parse("2026-12-07T10:00:00Z");
        Statistics.Report report = reports.stats(() -> first).await().indefinitely();
        assertThat(report.decisionsOverdueNow()).as("the overdue decisions the rows show").isEqualTo(OVERDUE_ROWS);
        assertThat(reports.stats(() -> first.plusSeconds(1)).await().indefinitely()).isSameAs(report);
        assertThat(logReads).hasValue(1);

        reports.changes.mayHaveChanged();
        assertThat(reports.stats(() -> first.plusSeconds(1)).await().indefinitely()).isNotSameAs(report);
        assertThat(logReads).as("read again after events were applied").hasValue(2);
    }

    @Test
    void objectionsAreKeptPerProposalAskedAbout() {
        List<Statistics.ProposalObjection> every = reports.objections(null).await().indefinitely();
        List<Statistics.ProposalObjection> ofOne = reports.objections("pv-one").await().indefinitely();
        assertThat(every).extracting(Statistics.ProposalObjection::proposal).containsOnly("pv-every");
        assertThat(ofOne).extracting(Statistics.ProposalObjection::proposal).containsOnly("pv-one");
        assertThat(ofOne).hasSize(2);
        reports.objections(null).await().indefinitely();
        reports.objections("pv-one").await().indefinitely();
        assertThat(logReads).hasValue(2);

        reports.changes.mayHaveChanged();
        reports.objections("pv-one").await().indefinitely();
        assertThat(logReads).hasValue(3);
    }

    @Test
    void aListOfMoreObjectionsThanTheBudgetIsReadEachTime() {
        objectionsEach = Reports.MAX_OBJECTIONS + 1;
        reports.objections(null).await().indefinitely();
        reports.objections(null).await().indefinitely();
        assertThat(logReads).hasValue(2);
    }

    private static List<LoggedEvent> objections(String proposal, int count) {
        List<LoggedEvent> events = new ArrayList<>(count);
        Instant at = Instant.parse("2026-12-01T09:00:00Z");
        for (int i = 0; i < count; i++) {
            ObjectionRaised raised = new ObjectionRaised(proposal, proposal + ".o" + i, Stage.DESIGN,
                    ObjectionCategory.ABI, "ABI", "The ring's request id is 32 bits wide but it wraps", false);
            events.add(new LoggedEvent(i + 1, UUID.randomUUID(), "pv.review.events", EventType.of(raised), "test",
                    proposal, "carol", at.plusSeconds(i), i + 1, raised));
        }
        return events;
    }
}
