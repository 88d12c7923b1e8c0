package org.pvlifecycle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Where a command's CPU goes across the stack: the CPU time each process ./pvl started, and the
 * PostgreSQL server, used while a closed-loop figure ran and until the stack had worked off what
 * it accepted (every consumer's share comes after the answer), less what the same processes use
 * idle (their background loops tick all the time), divided by the commands accepted. Read from
 * /proc (Linux), whose times count in ticks of 1/100 s on every platform a JVM runs on. The bench's
 * part {@code cpu}: for a revision and for an objection (which the consensus service answers with
 * an eligibility change), eight closed-loop clients for the figure's length, after a first run of
 * the same figure that is not measured.
 */
final class CpuPerCommand {
    private static final double MS_PER_TICK = 10;
    private static final String POSTGRES = "postgresql server";
    /** Idle is measured for this long before the figure. */
    private static final long IDLE_MILLIS = 5_000;
    /** The stack has worked off the figure once a second of it costs no more than idle and this much of a core. */
    private static final double SETTLED_ABOVE_IDLE = 0.15;
    private static final long SETTLE_MAX_MILLIS = 120_000;
    /** Before a figure, the stack is quiet once a second costs at most this much of a core more than the one before. */
    private static final double QUIET_DRIFT = 0.02;
    /**
     * And uses less than this much of a core: consumers working off a backlog at a steady pace
     * would pass the test above (idle, this stack uses about a fifth of a core).
     */
    private static final double QUIET_CEILING = 0.5;

    /** The figure, the seconds until the stack had settled after it, and ms of CPU per accepted command by process. */
    record Split(Load.Result load, double settledAfterSeconds, Map<String, Double> msPerCommand, double total) {
    }

    /** The CPU ticks used so far by each process, and when they were read. */
    private record Snapshot(Map<String, Long> ticks, long at) {
    }

    private final Bench bench;
    private final StackClient stack;
    private final Duration figureLength;
    private final Path state;

    CpuPerCommand(Bench bench, StackClient stack, Duration figureLength, Path state) {
        this.bench = bench;
        this.stack = stack;
        this.figureLength = figureLength;
        this.state = state;
    }

    /** A revision's and an objection's split, each taken once the stack is quiet; rows and results of the run. */
    void revisionsAndObjections(StreamFigures streams) throws Exception {
        List<String> proposals = bench.submitted("cpu", 32);
        bench.secondsUntilTheProjectionShows(proposals);
        Map<String, Object> splits = new LinkedHashMap<>();
        record(warmedUp(() -> Load.closed("CPU per revision, 8 conns over 32 proposals", 8, figureLength,
                (worker, sequence) -> stack.revise(proposals.get((int) (sequence % proposals.size())), sequence))), splits);
        List<String> objected = streams.announced("cpu-", 100);
        record(warmedUp(() -> streams.objectionsAsFastAsAccepted("CPU per objection, 8 conns over 100 proposals", 8,
                objected)), splits);
        bench.result("cpu.msPerCommand", splits);
    }

    /**
     * The figure measured after running it once unmeasured: on a stack just started, the services
     * compile the paths a figure takes while it runs, and the first run of a figure cost up to
     * twice the CPU of the next ones.
     */
    private Split warmedUp(Supplier<Load.Result> figure) throws Exception {
        figure.get();
        return measure(figure);
    }

    private void record(Split split, Map<String, Object> splits) {
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("acceptedPerSecond", split.load().count("2xx") / split.load().seconds());
        figure.put("settledAfterSeconds", split.settledAfterSeconds());
        figure.put("totalMs", split.total());
        figure.put("msByProcess", split.msPerCommand());
        splits.put(split.load().name(), figure);
        bench.record(split.load(), String.format("%.1f ms of CPU each across the stack, settled %.1f s after: %s",
                split.total(), split.settledAfterSeconds(), split.msPerCommand()));
    }

    Split measure(Supplier<Load.Result> figure) throws Exception {
        // Idle is measured idle: the stack first works off what came before (the proposals a
        // figure uses are submitted just before it, and the consumers take them in after their
        // answers), until a second costs no more than the one before it. The first second has
        // nothing to compare with, so it never ends the wait.
        secondsUntil((cores, before) -> cores <= before + QUIET_DRIFT && cores < QUIET_CEILING);
        Snapshot idleFrom = snapshot();
        Thread.sleep(IDLE_MILLIS);
        Snapshot from = snapshot();
        Map<String, Double> idlePerSecond = perSecond(idleFrom, from);
        double idleCores = cores(idlePerSecond);

        Load.Result load = figure.get();
        long loadEnded = System.nanoTime();
        Snapshot to = secondsUntil((cores, before) -> cores <= idleCores + SETTLED_ABOVE_IDLE);
        double seconds = (to.at() - from.at()) / 1e9;
        long accepted = load.count("2xx");
        Map<String, Double> split = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Long> process : to.ticks().entrySet()) {
            Long before = from.ticks().get(process.getKey());
            if (before == null || accepted == 0) {
                continue;
            }
            double ticks = process.getValue() - before - idlePerSecond.getOrDefault(process.getKey(), 0.0) * seconds;
            double ms = Math.max(0, ticks) * MS_PER_TICK / accepted;
            split.put(process.getKey(), Math.round(ms * 100) / 100.0);
            total += ms;
        }
        return new Split(load, Math.round((to.at() - loadEnded) / 1e8) / 10.0, split, Math.round(total * 100) / 100.0);
    }

    /**
     * Reads the ticks second by second until {@code enough} holds of the last second's cores and
     * the one's before (NaN for the first), or {@link #SETTLE_MAX_MILLIS} have passed; the last reading.
     */
    private Snapshot secondsUntil(BiPredicate<Double, Double> enough) throws Exception {
        long started = System.nanoTime();
        Snapshot previous = snapshot();
        double before = Double.NaN;
        while (System.nanoTime() - started < SETTLE_MAX_MILLIS * 1_000_000) {
            Thread.sleep(1000);
            Snapshot now = snapshot();
            double cores = cores(perSecond(previous, now));
            previous = now;
            if (enough.test(cores, before)) {
                break;
            }
            before = cores;
        }
        return previous;
    }

    private Snapshot snapshot() throws IOException {
        return new Snapshot(ticks(), System.nanoTime());
    }

    /** How many cores the processes used, from their ticks per second. */
    private static double cores(Map<String, Double> ticksPerSecond) {
        return ticksPerSecond.values().stream().mapToDouble(Double::doubleValue).sum() * MS_PER_TICK / 1000;
    }

    private static Map<String, Double> perSecond(Snapshot from, Snapshot to) {
        return perSecond(from.ticks(), to.ticks(), (to.at() - from.at()) / 1e9);
    }

    private static Map<String, Double> perSecond(Map<String, Long> from, Map<String, Long> to, double seconds) {
        Map<String, Double> rates = new LinkedHashMap<>();
        to.forEach((name, ticks) -> {
            Long before = from.get(name);
            if (before != null) {
                rates.put(name, (ticks - before) / seconds);
            }
        });
        return rates;
    }

    /** Ticks of CPU used so far by each process ./pvl started, and by the PostgreSQL server. */
    private Map<String, Long> ticks() throws IOException {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (String line : Files.readAllLines(state.resolve("pids"))) {
            String[] parts = line.split(" ");
            try {
                ticks.put(parts[0], own(ProcessMemory.statFields(parts[1])));
            } catch (IOException gone) {
                // A process that has ended is left out of the split.
            }
        }
        // The server's backends come and go with the services' connections: the postmaster's
        // children's times (cutime, cstime) hold those of the backends that have ended.
        long server = 0;
        boolean postmaster = true;
        for (String pid : ProcessMemory.postgresProcesses(state)) {
            try {
                String[] fields = ProcessMemory.statFields(pid);
                server += own(fields) + (postmaster ? Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : 0);
            } catch (IOException gone) {
                // Its time is now in the postmaster's children's.
            }
            postmaster = false;
        }
        if (server > 0) {
            ticks.put(POSTGRES, server);
        }
        return ticks;
    }

    /** utime and stime: /proc/PID/stat's 14th and 15th fields. */
    private static long own(String[] fields) {
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
