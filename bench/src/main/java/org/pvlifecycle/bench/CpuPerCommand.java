package org.pvlifecycle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a command's CPU goes across the stack: the CPU time each process ./pvl started, and the
 * PostgreSQL server, used while a closed-loop figure ran and until the stack had worked off what
 * it accepted (every consumer's share comes after the answer), less what the same processes use
 * idle (their background loops tick all the time), divided by the commands accepted. Read from
 * /proc (Linux), whose times count in ticks of 1/100 s on every platform a JVM runs on.
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

    private final Path state;

    CpuPerCommand(Path state) {
        this.state = state;
    }

    Split measure(Supplier<Load.Result> figure) throws Exception {
        quiet();
        Map<String, Long> idleFrom = ticks();
        long idleStarted = System.nanoTime();
        Thread.sleep(IDLE_MILLIS);
        Map<String, Long> from = ticks();
        long started = System.nanoTime();
        Map<String, Double> idlePerSecond = perSecond(idleFrom, from, (started - idleStarted) / 1e9);
        double idleCores = idlePerSecond.values().stream().mapToDouble(Double::doubleValue).sum() * MS_PER_TICK / 1000;

        Load.Result load = figure.get();
        long loadEnded = System.nanoTime();
        Map<String, Long> previous = ticks();
        long previousAt = System.nanoTime();
        while (System.nanoTime() - loadEnded < SETTLE_MAX_MILLIS * 1_000_000) {
            Thread.sleep(1000);
            Map<String, Long> now = ticks();
            long nowAt = System.nanoTime();
            double cores = perSecond(previous, now, (nowAt - previousAt) / 1e9).values().stream()
                    .mapToDouble(Double::doubleValue).sum() * MS_PER_TICK / 1000;
            previous = now;
            previousAt = nowAt;
            if (cores <= idleCores + SETTLED_ABOVE_IDLE) {
                break;
            }
        }
        double seconds = (previousAt - started) / 1e9;
        long accepted = load.count("2xx");
        Map<String, Double> split = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Long> process : previous.entrySet()) {
            Long before = from.get(process.getKey());
            if (before == null || accepted == 0) {
                continue;
            }
            double ticks = process.getValue() - before - idlePerSecond.getOrDefault(process.getKey(), 0.0) * seconds;
            double ms = Math.max(0, ticks) * MS_PER_TICK / accepted;
            split.put(process.getKey(), Math.round(ms * 100) / 100.0);
            total += ms;
        }
        return new Split(load, Math.round((previousAt - loadEnded) / 1e8) / 10.0, split, Math.round(total * 100) / 100.0);
    }

    /**
     * Waits until the stack has worked off what came before (the proposals a figure uses are
     * submitted just before it, and the consumers take them in after their answers): until a
     * second costs no more than the one before it, so that idle is measured idle. The first second
     * has nothing to compare with, so it never ends the wait.
     */
    private void quiet() throws Exception {
        long started = System.nanoTime();
        double before = Double.NaN;
        Map<String, Long> previous = ticks();
        long previousAt = System.nanoTime();
        while (System.nanoTime() - started < SETTLE_MAX_MILLIS * 1_000_000) {
            Thread.sleep(1000);
            Map<String, Long> now = ticks();
            long nowAt = System.nanoTime();
            double cores = perSecond(previous, now, (nowAt - previousAt) / 1e9).values().stream()
                    .mapToDouble(Double::doubleValue).sum() * MS_PER_TICK / 1000;
            if (cores <= before + QUIET_DRIFT && cores < QUIET_CEILING) {
                return;
            }
            before = cores;
            previous = now;
            previousAt = nowAt;
        }
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
