package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.projection.domain.Statistics;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The reports across proposals ({@code GET /stats} and {@code GET /objections}), answered again
 * from memory by the rules of {@link ListPages}: while this instance can tell that no event has
 * been applied since they were read, and for a second at most.
 *
 * <p>Why: each is folded from every objection event of the log. On a log of 248,000 events
 * (the bench's), {@code /stats} took 0.45 to 1.2 s and {@code /objections} about 0.5 s of
 * PostgreSQL and service time a read, however often it was asked while nothing changed.
 */
@ApplicationScoped
public class Reports {
    /**
     * The most objections kept over all the lists of {@code /objections} (one per proposal asked
     * about, and all of them); a list of more is read each time rather than pushing every other out.
     */
    static final int MAX_OBJECTIONS = 20_000;
    /** The most lists kept, whatever their length. */
    static final int MAX_LISTS = 256;

    @Inject
    ProjectionRepository repository;

    @Inject
    ReadModelChanges changes;

    @Inject
    MeterRegistry registry;

    private KeptReads<String, Statistics.Report> stats;
    private KeptReads<String, List<Statistics.ProposalObjection>> objections;

    @PostConstruct
    void keptReports() {
        stats = new KeptReads<>(changes, report -> 1, 1, 1,
                registry.counter("pvl.projection.reports", "report", "stats", "read", "kept"),
                registry.counter("pvl.projection.reports", "report", "stats", "read", "database"));
        objections = new KeptReads<>(changes, List::size, MAX_OBJECTIONS, MAX_LISTS,
                registry.counter("pvl.projection.reports", "report", "objections", "read", "kept"),
                registry.counter("pvl.projection.reports", "report", "objections", "read", "database"));
    }

    /**
     * {@code GET /stats}: its times as of {@code now} when read from the log, or of the read it
     * repeats. Its overdue decisions are those the list's rows show, folded as the rows are.
     */
    public Uni<Statistics.Report> stats(Supplier<Instant> now) {
        return stats.answer("stats", () -> repository.ofTypes(Statistics.STAT_TYPES, null)
                .flatMap(events -> repository.decisionsOverdue()
                        .map(overdue -> Statistics.report(events, overdue, now.get()))));
    }

    /** Every objection of {@code proposal}, or of every proposal when it is null, in the order raised. */
    public Uni<List<Statistics.ProposalObjection>> objections(String proposal) {
        return objections.answer(proposal == null ? "every proposal" : "proposal " + proposal,
                () -> repository.ofTypes(Statistics.OBJECTION_TYPES, proposal)
                        .map(events -> List.copyOf(Statistics.objections(events))));
    }
}
