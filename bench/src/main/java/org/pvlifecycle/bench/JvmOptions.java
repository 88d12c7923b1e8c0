package org.pvlifecycle.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bench's part {@code jvm}: the services' JVM options chosen by measurement, with
 * {@code ./pvl restart} (start alone with and without the class-data archive; the command path
 * under each option set). Its figures go into the run's results and table.
 */
final class JvmOptions {
    private final Bench bench;
    private final StackClient stack;
    private final Duration figure;

    JvmOptions(Bench bench, StackClient stack, Duration figure) {
        this.bench = bench;
        this.stack = stack;
        this.figure = figure;
    }

    /** ./pvl's defaults for a service's JVM (the pvl script's SERVICE_JAVA_OPTS). */
    static final String DEFAULT_OPTIONS = "-Xms32m -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
            + "-XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:TrimNativeHeapInterval=5000";
    /**
     * What ./pvl trains a service's start into with the Java that runs this bench (./pvl runs both
     * with the same): the ahead-of-time cache of a Java 25 or newer, else a class-data archive,
     * named for the Java's full version as ./pvl's choose_archive names it.
     */
    static final String TRAINED_ARCHIVE = trainedArchive();

    private static String trainedArchive() {
        String version = System.getProperty("java.runtime.version").replaceAll("[^A-Za-z0-9._+-]", "_");
        return Runtime.version().feature() >= 25 ? "app-aot-" + version + ".aot" : "app-cds-" + version + ".jsa";
    }
    /** ./pvl's default until 2026-12-02: the native heap kept as the C library leaves it. */
    static final String WITHOUT_TRIMMING = "-Xms32m -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
            + "-XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40";
    /** Both JIT compilers: slower to start and to warm up, faster once warm; more resident. */
    static final String BOTH_COMPILERS = "-Xms32m -Xmx160m -XX:+UseSerialGC -XX:MinHeapFreeRatio=20 "
            + "-XX:MaxHeapFreeRatio=40 -XX:TrimNativeHeapInterval=5000";

    /**
     * JVM options chosen by measurement, last because it restarts services. Each service is started
     * again alone (the rest of the stack idle) with and without its class-data archive, three times
     * each, alternating; then the proposal service is measured on the command path with each option
     * set after the same warm-up ({@code pvl.bench.jvmWarmup}, two minutes: long enough for C2 to
     * compile one service's hot paths while the rest of the stack is warm), and left running with
     * ./pvl's defaults.
     */
    void measure(Path state, List<String> services) throws Exception {
        Map<String, Object> starts = new LinkedHashMap<>();
        for (String service : services) {
            // ./pvl trains a service's archive at its first start after a build (and drops one it
            // could not finish): such a start, slower, is made first and not counted.
            Path app = Path.of(service, "target/quarkus-app");
            Path archive = app.resolve(TRAINED_ARCHIVE);
            if (!Files.exists(archive) || Files.getLastModifiedTime(archive)
                    .compareTo(Files.getLastModifiedTime(app.resolve("quarkus-run.jar"))) <= 0) {
                restart(service, DEFAULT_OPTIONS, true);
            }
            List<Double> plain = new ArrayList<>();
            List<Double> withArchive = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                plain.add(restart(service, DEFAULT_OPTIONS, false));
                withArchive.add(restart(service, DEFAULT_OPTIONS, true));
            }
            Map<String, Object> figure = new LinkedHashMap<>();
            figure.put("medianSeconds", median(plain));
            figure.put("seconds", plain);
            figure.put("withArchiveMedianSeconds", median(withArchive));
            figure.put("withArchiveSeconds", withArchive);
            starts.put(service, figure);
            bench.row("start alone, launch to first ready answer: " + service,
                    String.format("%.1f s", median(plain)), "", "",
                    String.format("with its trained archive (%s) %.1f s (medians of 3)", TRAINED_ARCHIVE, median(withArchive)));
            System.out.printf("%-62s %.1f s %s%n", "start alone: " + service, median(plain),
                    String.format("(with its archive %.1f s)", median(withArchive)));
        }
        bench.result("jvm.startAlone", starts);

        Duration warmUp = Duration.parse(System.getProperty("pvl.bench.jvmWarmup", "PT2M"));
        Map<String, Object> options = new LinkedHashMap<>();
        List<String> proposals = bench.submitted("jvm", 32);
        for (String set : List.of(DEFAULT_OPTIONS, BOTH_COMPILERS, WITHOUT_TRIMMING, DEFAULT_OPTIONS)) {
            restart("proposal-service", set, true);
            Load.closed("warm-up", 8, warmUp, (worker, sequence) ->
                    stack.revise(proposals.get((int) (sequence % proposals.size())), sequence));
            Load.Result r = Load.closed("POST revisions over 32 proposals, 8 conns; proposal-service with " + set, 8,
                    figure, (worker, sequence) -> stack.revise(proposals.get((int) (sequence % proposals.size())),
                            sequence));
            long rss = rssMb(state, "proposal-service");
            // How far the consumers fell behind the figure's commands: on two cores a closed-loop
            // figure can accept commands faster than they keep up (with wrk, eight connections on
            // the proposal service alone, 604/s, and a figure right after a faster one's 280/s).
            // Waiting also restarts the next set on a stack that has taken them in; its own
            // warm-up may build a backlog again, which its own row then shows. Only the
            // projection is waited for, the heaviest consumer of the proposal topic.
            double caughtUp = bench.secondsUntilTheProjectionShows(
                    bench.submitted("jvm-caught-up-" + options.size() + "-", 32));
            bench.record(r, String.format("RSS after: %d MB; the projection caught up %.1f s after", rss, caughtUp));
            Map<String, Object> figureOf = new LinkedHashMap<>();
            figureOf.put("perSecond", r.perSecond());
            figureOf.put("p50Ms", r.p50Ms());
            figureOf.put("p99Ms", r.p99Ms());
            figureOf.put("rssMbAfter", rss);
            figureOf.put("projectionCaughtUpSecondsAfter", caughtUp);
            options.put(set + (options.containsKey(set) ? " (again)" : ""), figureOf);
        }
        bench.result("jvm.proposalServiceOptions", options);
    }

    /** Seconds from launch to the first ready answer, as {@code ./pvl restart} prints them. */
    private static double restart(String service, String options, boolean archive) throws Exception {
        ProcessBuilder pvl = new ProcessBuilder("./pvl", "restart", service).redirectErrorStream(true);
        pvl.environment().put("PVL_SERVICE_JAVA_OPTS", options);
        pvl.environment().put("PVL_APPCDS", archive ? "on" : "off");
        Process process = pvl.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("./pvl restart " + service + " failed: " + output);
        }
        Matcher ready = Pattern.compile("ready in ([0-9.]+) s").matcher(output);
        if (!ready.find()) {
            throw new IllegalStateException("./pvl restart " + service + " printed no time: " + output);
        }
        return Double.parseDouble(ready.group(1));
    }

    private static long rssMb(Path state, String name) throws Exception {
        for (String line : Files.readAllLines(state.resolve("pids"))) {
            String[] parts = line.split(" ");
            if (parts[0].equals(name)) {
                return ProcessMemory.rssMb(parts[1]);
            }
        }
        return -1;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
