package org.pvlifecycle.systemtests;

import org.assertj.core.api.SoftAssertions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A scenario's requests set against what PostgreSQL holds afterwards: every accepted command's
 * event stored exactly once, none of a request known to have failed, and every stored event
 * applied exactly once by every consumer of its topic that has something to do with it.
 */
final class Audit {
    private final String scenario;
    private final Duration took;
    private final Duration settled;
    private final Ledger.Snapshot snapshot;
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private final List<Sent> serverErrors = new ArrayList<>();
    /** Accepted, and no event stored. */
    private final List<Sent> lost = new ArrayList<>();
    /** Any command whose event is stored more than once. */
    private final List<Sent> storedTwice = new ArrayList<>();
    /** Known not to have been accepted (409, 503, 4xx, 5xx, refused), yet its event is stored. */
    private final List<Sent> failedYetStored = new ArrayList<>();
    private int acceptedStoredOnce;
    private int unknownStored;

    private Audit(String scenario, Duration took, Duration settled, Ledger.Snapshot snapshot) {
        this.scenario = scenario;
        this.took = took;
        this.settled = settled;
        this.snapshot = snapshot;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, 0);
        }
    }

    /**
     * @param took    the whole scenario
     * @param settled of which the wait, after the load, until every consumer had every event
     */
    static Audit of(String scenario, Duration took, Duration settled, List<Sent> sent, Ledger.Snapshot snapshot) {
        Audit audit = new Audit(scenario, took, settled, snapshot);
        Map<String, List<Ledger.StoredEvent>> byProposal = snapshot.stored().stream()
                .collect(Collectors.groupingBy(Ledger.StoredEvent::aggregateId));
        for (Sent s : sent) {
            Outcome outcome = s.answer().outcome();
            audit.outcomes.merge(outcome, 1, Integer::sum);
            long stored = byProposal.getOrDefault(s.command().proposalId(), List.of()).stream()
                    .filter(s.command()::appended).count();
            if (outcome == Outcome.SERVER_ERROR) {
                audit.serverErrors.add(s);
            }
            if (stored > 1) {
                audit.storedTwice.add(s);
            }
            if (outcome == Outcome.ACCEPTED) {
                if (stored == 0) {
                    audit.lost.add(s);
                } else if (stored == 1) {
                    audit.acceptedStoredOnce++;
                }
            } else if (outcome.unknown()) {
                audit.unknownStored += stored == 1 ? 1 : 0;
            } else if (stored > 0) {
                audit.failedYetStored.add(s);
            }
        }
        return audit;
    }

    int count(Outcome outcome) {
        return outcomes.get(outcome);
    }

    /** Nothing acknowledged lost, nothing refused kept, nothing applied twice, never a 5xx. */
    void assertNothingLost() {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(serverErrors).as("%s: answers 5xx (a dependency down must answer 503)%n%s", scenario, table())
                .isEmpty();
        softly.assertThat(lost).as("%s: accepted commands whose event is not stored", scenario).isEmpty();
        softly.assertThat(storedTwice).as("%s: commands whose event is stored more than once", scenario).isEmpty();
        softly.assertThat(failedYetStored).as("%s: commands known to have failed whose event is stored", scenario)
                .isEmpty();
        for (Ledger.Consumer consumer : Ledger.CONSUMERS) {
            softly.assertThat(snapshot.missing(consumer)).as("%s: stored events %s has not applied", scenario,
                    consumer.name()).isZero();
            softly.assertThat(snapshot.duplicates(consumer)).as("%s: events %s applied more than once", scenario,
                    consumer.name()).isZero();
        }
        softly.assertAll();
    }

    /** The scenario's own table: its requests, its commands' events, and each consumer's count. */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n== %s (%d s, of which %d s settling after the load) ==%n", scenario,
                took.toSeconds(), settled.toSeconds()));
        out.append("requests  ").append(outcomes.entrySet().stream()
                .map(e -> e.getKey().label + " " + e.getValue()).collect(Collectors.joining(" | "))).append('\n');
        out.append(String.format("commands  accepted %d, stored once %d | lost %d | stored twice %d | "
                        + "failed yet stored %d | of unknown outcome stored %d of %d%n", count(Outcome.ACCEPTED),
                acceptedStoredOnce, lost.size(), storedTwice.size(), failedYetStored.size(), unknownStored,
                count(Outcome.TIMEOUT) + count(Outcome.CUT)));
        out.append("events    ").append(snapshot.stored().stream().collect(Collectors.groupingBy(
                Ledger.StoredEvent::topic, TreeMap::new, Collectors.counting())).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(" | "))).append('\n');
        out.append(String.format("%-36s %8s %8s %8s %10s%n", "consumer", "stored", "applied", "missing", "duplicates"));
        for (Ledger.Consumer c : Ledger.CONSUMERS) {
            out.append(String.format("%-36s %8d %8d %8d %10d%n", c.name(), snapshot.expectedBy(c).size(),
                    snapshot.appliedEvents(c), snapshot.missing(c), snapshot.duplicates(c)));
        }
        examples(out, "5xx", serverErrors);
        examples(out, "lost", lost);
        examples(out, "stored twice", storedTwice);
        examples(out, "failed yet stored", failedYetStored);
        return out.toString();
    }

    static String summaryHeader() {
        return String.format("%-34s %5s %8s %5s %5s %5s %5s %7s %7s %7s %5s %12s %7s %15s %7s %5s", "scenario", "s",
                "accepted", "409", "503", "4xx", "5xx", "refused", "unknown", "stored", "lost", "failed+stored",
                "events", "applied (all)", "missing", "dup");
    }

    String summaryRow() {
        long expected = Ledger.CONSUMERS.stream().mapToLong(c -> snapshot.expectedBy(c).size()).sum();
        long applied = Ledger.CONSUMERS.stream().mapToLong(snapshot::appliedEvents).sum();
        long duplicates = storedTwice.size() + Ledger.CONSUMERS.stream().mapToLong(snapshot::duplicates).sum();
        return String.format("%-34s %5d %8d %5d %5d %5d %5d %7d %7d %7d %5d %12d %7d %15s %7d %5d", scenario,
                took.toSeconds(), count(Outcome.ACCEPTED), count(Outcome.CONFLICT), count(Outcome.UNAVAILABLE),
                count(Outcome.REJECTED), count(Outcome.SERVER_ERROR), count(Outcome.REFUSED),
                count(Outcome.TIMEOUT) + count(Outcome.CUT), acceptedStoredOnce, lost.size(), failedYetStored.size(),
                snapshot.stored().size(), applied + "/" + expected, snapshot.missingEverywhere(), duplicates);
    }

    private static void examples(StringBuilder out, String what, List<Sent> sent) {
        sent.stream().limit(5).forEach(s -> out.append(String.format("  %s: %s %s -> %s%n", what,
                s.command().kind(), s.command().proposalId(), s.answer())));
    }
}
