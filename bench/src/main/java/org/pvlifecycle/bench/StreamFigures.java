package org.pvlifecycle.bench;

import org.pvlifecycle.events.EventType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The bench's parts {@code streams} and {@code fanout}: an objection POSTed, timed until its
 * eligibility-changed reaches clients of the projection's live stream, at rising offered rates
 * and to a thousand clients at once. Its figures go into the run's results and table.
 */
final class StreamFigures {
    /** The reviewers who raise the objections, each with the one token they keep. */
    private static final List<String> REVIEWERS = java.util.stream.IntStream.range(0, 16)
            .mapToObj(i -> "bench-reviewer-" + i).toList();
    private final Bench bench;
    private final StackClient stack;
    private final Duration figureLength;

    StreamFigures(Bench bench, StackClient stack, Duration figureLength) {
        this.bench = bench;
        this.stack = stack;
        this.figureLength = figureLength;
        // Each reviewer's token is signed before any figure: signing one is the client's own work,
        // done once, and the first signatures in a fresh JVM took long enough to show in the first
        // objection's time (its 1.8 s, where the others took 0.2 s).
        REVIEWERS.forEach(reviewer -> stack.token(reviewer, "reviewer"));
    }

    /** An objection POSTed → the proposal's eligibility-changed on the stream, at rising offered rates. */
    void latencyByOfferedLoad() throws Exception {
        List<Object> curve = new ArrayList<>();
        try (EventStreamProbe probe = new EventStreamProbe(stack, EventType.ELIGIBILITY_CHANGED.typeName())) {
            // Not counted, as for commands: the figures before warmed the command and read paths
            // only, and on them the objections' path (review, consensus) was compiled during the
            // first rates (5/s at p99 1.3 s, 25/s at p50 640 ms; 79 ms and 81 ms right after).
            objections(probe, "warm-up: objections at 10/s", 10, Duration.ofSeconds(10), "sw-");
            for (double rate : new double[] {5, 10, 25, 50}) {
                Load.Result at = objections(probe, "objection → eligibility-changed on the stream, " + (int) rate + "/s",
                        rate, figureLength.dividedBy(2), "s" + (int) rate + "-");
                bench.record(at, at.count("none") > 0 ? at.count("none") + " never arrived" : "");
                curve.add(Bench.point(rate, at));
            }
        }
        bench.result("stream.latencyByOfferedLoad", curve);
    }

    /**
     * Objections from {@code connections} closed-loop clients for the figure's length, over
     * {@code proposals} ({@link #announced}): each proposal gets one from each reviewer in turn, so that
     * none holds more than a few open objections.
     */
    Load.Result objectionsAsFastAsAccepted(String name, int connections, List<String> proposals) {
        return Load.closed(name, connections, figureLength, (worker, sequence) -> stack.object(
                proposals.get((int) (sequence % proposals.size())),
                REVIEWERS.get((int) (sequence / proposals.size() % REVIEWERS.size()))));
    }

    /** Objections at {@code rate} for {@code duration}, each on its own announced proposal, timed to its eligibility-changed. */
    private Load.Result objections(EventStreamProbe probe, String name, double rate, Duration duration, String prefix)
            throws Exception {
        int count = (int) (rate * duration.toSeconds());
        List<String> proposals = announced(prefix, count);
        return Load.open(name, rate, duration, 128, (worker, sequence) -> {
            String proposal = proposals.get((int) sequence);
            CompletableFuture<Long> arrival = probe.next(proposal);
            long sent = System.nanoTime();
            int status = stack.object(proposal, REVIEWERS.get((int) (sequence % REVIEWERS.size())));
            if (status != 201) {
                return status;
            }
            return EventStreamProbe.millisAfter(arrival, sent, Duration.ofSeconds(10)) >= 0 ? 200 : 0;
        });
    }

    /**
     * {@code clients} streams open on the one projection instance; an objection a second is
     * POSTed, and the time until each client sees its eligibility-changed is noted. The log reads
     * show whether the clients share one reader of the log (tail) or read it themselves (catch-up).
     */
    void fanOut(int clients) throws Exception {
        String type = EventType.ELIGIBILITY_CHANGED.typeName();
        int objections = 20;
        List<String> proposals = announced("fan", objections);
        List<EventStreamProbe> probes = new ArrayList<>();
        Map<String, Double> readsBefore = stack.streamLogReads();
        try {
            for (int i = 0; i < clients; i++) {
                probes.add(new EventStreamProbe(stack, type));
            }
            Thread.sleep(3000); // every stream is open and reading before the first objection
            org.HdrHistogram.Histogram latencies = new org.HdrHistogram.Histogram(60_000_000L, 3);
            int missed = 0;
            for (String proposal : proposals) {
                List<CompletableFuture<Long>> arrivals = new ArrayList<>();
                for (EventStreamProbe probe : probes) {
                    arrivals.add(probe.next(proposal));
                }
                long sent = System.nanoTime();
                int status = stack.object(proposal, REVIEWERS.get(0));
                if (status != 201) {
                    throw new IllegalStateException("raising an objection on " + proposal + " answered " + status);
                }
                double slowest = 0;
                int missedHere = 0;
                for (CompletableFuture<Long> arrival : arrivals) {
                    double ms = EventStreamProbe.millisAfter(arrival, sent, Duration.ofSeconds(10));
                    if (ms < 0) {
                        missedHere++;
                    } else {
                        latencies.recordValue(Math.max(1, (long) (ms * 1000)));
                        slowest = Math.max(slowest, ms);
                    }
                }
                missed += missedHere;
                System.out.printf(Locale.ROOT, "  fan-out: %s reached %d of %d clients, the last after %.0f ms%n",
                        proposal, arrivals.size() - missedHere, arrivals.size(), slowest);
                Thread.sleep(1000);
            }
            Map<String, Double> readsAfter = stack.streamLogReads();
            double tailReads = readsAfter.getOrDefault("tail", 0.0) - readsBefore.getOrDefault("tail", 0.0);
            double catchUpReads = readsAfter.getOrDefault("catch-up", 0.0) - readsBefore.getOrDefault("catch-up", 0.0);
            Map<String, Object> figure = new LinkedHashMap<>();
            figure.put("clients", clients);
            figure.put("objections", objections);
            figure.put("deliveries", latencies.getTotalCount());
            figure.put("missed", missed);
            figure.put("p50Ms", latencies.getValueAtPercentile(50) / 1000.0);
            figure.put("p99Ms", latencies.getValueAtPercentile(99) / 1000.0);
            figure.put("maxMs", latencies.getMaxValue() / 1000.0);
            figure.put("logReadsByTheTail", tailReads);
            figure.put("logReadsByClientsCatchingUp", catchUpReads);
            bench.result("stream.fanOut", figure);
            String name = "objection → eligibility-changed to each of " + clients + " stream clients";
            bench.row(name, objections + " objections", String.format("%.1f", latencies.getValueAtPercentile(50) / 1000.0),
                    String.format("%.1f", latencies.getValueAtPercentile(99) / 1000.0),
                    String.format("%d deliveries, %d missed; log reads: %.0f by the tail, %.0f by clients catching up",
                            latencies.getTotalCount(), missed, tailReads, catchUpReads));
            System.out.printf("%-62s p50 %7.1f ms p99 %7.1f ms %s%n", name, latencies.getValueAtPercentile(50) / 1000.0,
                    latencies.getValueAtPercentile(99) / 1000.0, figure);
        } finally {
            for (EventStreamProbe probe : probes) {
                probe.close();
            }
        }
    }

    /**
     * Proposals submitted, and waited for until each one's first eligibility-changed has reached
     * the stream: a figure about objections then measures objections, not the submissions'
     * announcements still on their way through the stack (and a late first announcement cannot
     * be taken for the one an objection causes).
     */
    List<String> announced(String prefix, int count) throws Exception {
        try (EventStreamProbe settle = new EventStreamProbe(stack, EventType.ELIGIBILITY_CHANGED.typeName())) {
            List<CompletableFuture<Long>> first = new ArrayList<>();
            List<String> ids = bench.submitted(prefix, count, id -> first.add(settle.next(id)));
            try {
                CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).get(5, java.util.concurrent.TimeUnit.MINUTES);
            } catch (java.util.concurrent.TimeoutException e) {
                List<String> silent = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    if (!first.get(i).isDone()) {
                        silent.add(ids.get(i));
                    }
                }
                throw new IllegalStateException("no eligibility-changed on the stream within 5 minutes for " + silent, e);
            }
            return ids;
        }
    }
}
