package org.pvlifecycle.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.EventType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole stack that ./pvl runs, measured: each figure beside its floor, taken in the same run on
 * the same machine (absolute numbers move from run to run on a shared machine; the ratios much
 * less). Run it with {@code ./pvl bench}; it writes {@code bench/target/bench/results.json} and
 * {@code latency.png}, and prints the table.
 */
public final class Bench {
    private final StackClient stack;
    private final Duration figure;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();

    private Bench(StackClient stack, Duration figure) {
        this.stack = stack;
        this.figure = figure;
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(System.getProperty("pvl.state", ".pvl"));
        Path out = Path.of(System.getProperty("pvl.bench.out", "bench/target/bench"));
        Duration figure = Duration.parse(System.getProperty("pvl.bench.figure", "PT15S"));
        String jdbc = System.getProperty("pvl.bench.jdbc", "jdbc:postgresql://127.0.0.1:5432/postgres");
        Bench bench = new Bench(new StackClient(state.resolve("keys"),
                System.getProperty("pvl.bench.issuer", "https://pv-lifecycle.local/issuer")), figure);
        // Made before any figure: it signs its reviewers' tokens.
        StreamFigures streamFigures = new StreamFigures(bench, bench.stack, figure);
        Files.createDirectories(out);
        // PVL_BENCH_OPTS=-Dpvl.bench.parts=jvm runs just some parts, written beside a whole run's results.
        String all = "commands,reads,streams,fanout,cpu,resources,jvm";
        String chosen = System.getProperty("pvl.bench.parts", all);
        List<String> parts = List.of(chosen.split(","));
        if (!chosen.equals(all)) {
            out = out.resolve("parts-" + chosen.replace(',', '-'));
            Files.createDirectories(out);
        }
        if (parts.contains("commands")) {
            bench.commands(jdbc);
        }
        if (parts.contains("reads")) {
            bench.reads();
        }
        if (parts.contains("streams")) {
            streamFigures.latencyByOfferedLoad();
        }
        if (parts.contains("fanout")) {
            streamFigures.fanOut(Integer.getInteger("pvl.bench.streamClients", 1000));
        }
        if (parts.contains("cpu")) {
            new CpuPerCommand(bench, bench.stack, bench.figure, state).revisionsAndObjections(streamFigures);
        }
        if (parts.contains("resources")) {
            bench.resources(state);
        }
        if (parts.contains("jvm")) {
            new JvmOptions(bench, bench.stack, bench.figure).measure(state, List.of("proposal-service", "review-service", "consensus-service",
                    "projection-service", "notification-service", "mail-service"));
        }
        bench.write(out);
        bench.stack.close();
    }

    private void commands(String jdbc) throws Exception {
        double floor = insertFloor(jdbc, 8);
        record("floor: single-row inserts, 8 conns (durable PostgreSQL of the stack)", floor, null, null, "");
        warmUp();
        List<String> proposals = submitted("c", 32);
        Load.Result spread = Load.closed("POST revisions over 32 proposals, 8 conns", 8, figure,
                (worker, sequence) -> stack.revise(proposals.get((int) (sequence % proposals.size())), sequence));
        record(spread, String.format("%.1f %% of floor", 100 * spread.perSecond() / floor));
        results.put("commands.ratioToFloor", spread.perSecond() / floor);

        String one = submitted("one", 1).get(0);
        Load.Result contended = Load.closed("POST revisions on one proposal, 8 conns", 8, figure,
                (worker, sequence) -> stack.revise(one, sequence));
        record(contended, String.format("%d of %d answered 409; %.0f %% of the 32-proposal rate",
                contended.count("4xx (409)"), contended.requests(), 100 * contended.perSecond() / spread.perSecond()));

        String longHistory = submitted("long", 1).get(0);
        grow(longHistory, 1000);
        String fresh1 = submitted("fresh", 1).get(0);
        Duration shortFigure = figure.dividedBy(2);
        Load.Result fresh = Load.closed("POST revisions on a new proposal, 1 conn", 1, shortFigure,
                (worker, sequence) -> stack.revise(fresh1, sequence));
        Load.Result old = Load.closed("POST revisions on a proposal with 1,000 events, 1 conn", 1, shortFigure,
                (worker, sequence) -> stack.revise(longHistory, sequence));
        record(fresh, "");
        record(old, String.format("p50 %.2fx the new proposal's", old.p50Ms() / fresh.p50Ms()));
        // The same, timed until the revision reaches the projection's stream: its event is
        // streamed once the transaction that logs it and refreshes the proposal's views commits,
        // so what the projection's refresh costs with a long history shows here. On a proposal
        // new again (the one above has a thousand revisions by now), for a few seconds: it stays
        // short, its view whole, where the long one (2,000 events by now) has its revisions apart.
        String fresh2 = submitted("fresh-streamed", 1).get(0);
        Duration streamedFigure = figure.dividedBy(4);
        try (EventStreamProbe probe = new EventStreamProbe(stack, EventType.PROPOSAL_REVISED.typeName())) {
            Load.Result freshSeen = Load.closed("revision POSTed → on the stream, a new proposal, 1 conn", 1,
                    streamedFigure, (worker, sequence) -> revisedAndStreamed(probe, fresh2, sequence));
            Load.Result oldSeen = Load.closed("revision POSTed → on the stream, a proposal with 2,000 events, 1 conn",
                    1, streamedFigure, (worker, sequence) -> revisedAndStreamed(probe, longHistory, sequence));
            record(freshSeen, "");
            record(oldSeen, String.format("p50 %.2fx the new proposal's", oldSeen.p50Ms() / freshSeen.p50Ms()));
            results.put("commands.longHistoryStreamedRatio", oldSeen.p50Ms() / freshSeen.p50Ms());
        }

        List<Object> curve = new ArrayList<>();
        for (double rate : new double[] {25, 50, 100, 150, 200}) {
            Load.Result at = Load.open("POST revisions at " + (int) rate + "/s offered", rate, figure.dividedBy(2), 64,
                    (worker, sequence) -> stack.revise(proposals.get((int) (sequence % proposals.size())), sequence));
            record(at, "");
            curve.add(point(rate, at));
        }
        results.put("commands.latencyByOfferedLoad", curve);
    }

    /**
     * Revisions of 32 proposals of its own, not counted, while the services' JIT compiles their hot
     * paths (a stack just started measured 49/s, then 144/s on the same figure). The figures that
     * follow write to other proposals, whose histories are as short as on a stack just started.
     * The rate of each 30 s window goes into the results, so a run shows whether its warm-up was
     * long enough: a minute for ./pvl's default (C1 only); with C2 too, six services compiling at
     * once on two cores took five minutes to reach their rate (40 s windows: 26, 62, 98, 79, 119,
     * 133, 155, 198/s), so set {@code -Dpvl.bench.warmup=PT5M} to measure that.
     */
    private void warmUp() throws Exception {
        Duration warmUp = Duration.parse(System.getProperty("pvl.bench.warmup", "PT1M"));
        if (warmUp.isZero()) {
            return;
        }
        List<String> warming = submitted("w", 32);
        List<Double> windows = new ArrayList<>();
        Duration window = Duration.ofSeconds(30);
        for (Duration done = Duration.ZERO; done.compareTo(warmUp) < 0; done = done.plus(window)) {
            Duration next = warmUp.minus(done).compareTo(window) < 0 ? warmUp.minus(done) : window;
            long offset = windows.size() * 1_000_000L;
            Load.Result w = Load.closed("warm-up: POST revisions over 32 other proposals, 8 conns", 8, next,
                    (worker, sequence) -> stack.revise(warming.get((int) (sequence % warming.size())), offset + sequence));
            windows.add(Math.round(w.perSecond() * 10) / 10.0);
            System.out.printf("%-62s %9.0f/s%n", "warm-up, " + done.plus(next).toSeconds() + " s", w.perSecond());
        }
        results.put("commands.warmUpPerSecondBy30s", windows);
        row("warm-up: POST revisions over 32 other proposals, 8 conns, per 30 s", "", "", "",
                windows.stream().map(rate -> String.format("%.0f/s", rate)).collect(java.util.stream.Collectors.joining(", ")));
    }

    private void reads() throws Exception {
        // Reads are measured on a quiet stack: first the projection takes in what the command
        // figures wrote, and how long that takes is a figure too.
        List<String> proposals = submitted("r", 32);
        double caughtUp = secondsUntilTheProjectionShows(proposals);
        results.put("projection.catchUpSecondsAfterCommands", caughtUp);
        table.add(new String[] {"projection caught up after the command figures", String.format("%.1f s", caughtUp),
                "", "", ""});
        System.out.printf("projection caught up after the command figures in %.1f s%n", caughtUp);
        Load.Result live = projectionReads("floor: projection /q/health/live, 50 conns", sequence -> "/q/health/live");
        record(live, "");
        Load.Result one = projectionReads("GET /proposals/{id} (32 proposals), 50 conns",
                sequence -> "/proposals/" + proposals.get((int) (sequence % 32)));
        record(one, String.format("%.1f %% of /q/health/live", 100 * one.perSecond() / live.perSecond()));
        Load.Result list = projectionReads("GET /proposals?stage=DESIGN, 50 conns", sequence -> "/proposals?stage=DESIGN");
        record(list, String.format("%.1f %% of /q/health/live", 100 * list.perSecond() / live.perSecond()));
    }

    /**
     * Seconds until the projection answers a view of each of {@code proposals}, just submitted
     * (a 404 until then). Submitted over 32 proposals, they land on every partition of the
     * proposal topic, behind whatever the projection had still to take in there: a closed-loop
     * figure can accept commands faster than the consumers keep up, and this shows by how much.
     */
    double secondsUntilTheProjectionShows(List<String> proposals) throws Exception {
        long started = System.nanoTime();
        for (String id : proposals) {
            while (stack.get("projection-service", "/proposals/" + id) != 200) {
                if (System.nanoTime() - started > Duration.ofMinutes(5).toNanos()) {
                    throw new IllegalStateException("the projection did not show " + id + " within 5 minutes");
                }
                Thread.sleep(200);
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** 50 connections GETting from the projection as fast as it answers. */
    private Load.Result projectionReads(String name, java.util.function.LongFunction<String> path) {
        return Load.closed(name, 50, figure, (worker, sequence) -> stack.get("projection-service", path.apply(sequence)));
    }

    /**
     * Resident memory of each process ./pvl started and of the PostgreSQL server, and each
     * service's start-up time from its log.
     */
    private void resources(Path state) throws Exception {
        Map<String, Object> memory = new LinkedHashMap<>();
        long total = 0;
        for (String line : Files.readAllLines(state.resolve("pids"))) {
            String[] parts = line.split(" ");
            long mb = ProcessMemory.rssMb(parts[1]);
            if (mb >= 0) {
                memory.put(parts[0], mb);
                total += mb;
            }
        }
        // The PostgreSQL server is not among them: pg_ctl detaches it from the process ./pvl
        // started. It is counted by its processes' proportional shares.
        long postgres = ProcessMemory.postgresPssMb(state);
        if (postgres >= 0) {
            memory.put("postgresql server (PSS)", postgres);
            total += postgres;
        }
        memory.put("total", total);
        results.put("rssMb", memory);
        Map<String, Object> starts = new LinkedHashMap<>();
        for (String service : StackClient.PORTS.keySet()) {
            Path log = state.resolve("logs").resolve(service + ".log");
            if (Files.exists(log)) {
                Matcher started = Pattern.compile("started in ([0-9.]+)s").matcher(Files.readString(log));
                String last = null;
                while (started.find()) {
                    last = started.group(1);
                }
                starts.put(service, last == null ? null : Double.parseDouble(last));
            }
        }
        results.put("startSeconds", starts);
        table.add(new String[] {"memory (MB: resident, the PostgreSQL server by its share)", memory.toString(), "", "", ""});
        table.add(new String[] {"start to listening (s)", starts.toString(), "", "", ""});
    }

    private double insertFloor(String jdbc, int connections) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("create schema if not exists bench");
            s.execute("create table if not exists bench.floor (id bigserial primary key, at timestamptz not null "
                    + "default now(), payload text not null)");
        }
        List<Connection> pool = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            pool.add(DriverManager.getConnection(jdbc, "postgres", ""));
        }
        try {
            List<PreparedStatement> inserts = new ArrayList<>();
            for (Connection c : pool) {
                inserts.add(c.prepareStatement("insert into bench.floor (payload) values (?)"));
            }
            Load.Result r = Load.closed("floor", connections, figure, worker -> (w, sequence) -> {
                PreparedStatement insert = inserts.get(w);
                insert.setString(1, StackClient.SPEC);
                insert.executeUpdate();
                return 200;
            });
            return r.perSecond();
        } finally {
            for (Connection c : pool) {
                c.close();
            }
        }
    }

    /** A revision of {@code proposal}, answered 200 once its event is on the stream (0 when it never came). */
    private int revisedAndStreamed(EventStreamProbe probe, String proposal, long sequence) throws Exception {
        java.util.concurrent.CompletableFuture<Long> arrival = probe.next(proposal);
        long sent = System.nanoTime();
        int status = stack.revise(proposal, sequence);
        if (status != 201) {
            return status;
        }
        return EventStreamProbe.millisAfter(arrival, sent, Duration.ofSeconds(10)) >= 0 ? 200 : 0;
    }

    /** Revises {@code proposal} until it has about {@code events} events, from 4 clients. */
    private void grow(String proposal, int events) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            long sequence = i;
            sent.add(pool.submit(() -> stack.revise(proposal, sequence)));
        }
        for (java.util.concurrent.Future<Integer> f : sent) {
            f.get();
        }
        pool.shutdown();
    }

    List<String> submitted(String prefix, int count) throws Exception {
        return submitted(prefix, count, id -> { });
    }

    /** {@code count} proposals submitted one after another; {@code before} sees each id just before its POST. */
    List<String> submitted(String prefix, int count, java.util.function.Consumer<String> before) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "bench-" + run + "-" + prefix + i;
            before.accept(id);
            int status = stack.submit(id);
            if (status != 201) {
                throw new IllegalStateException("submitting " + id + " answered " + status);
            }
            ids.add(id);
        }
        return ids;
    }

    static Map<String, Object> point(double offered, Load.Result r) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("offeredPerSecond", offered);
        p.put("achievedPerSecond", r.perSecond());
        p.put("p50Ms", r.p50Ms());
        p.put("p90Ms", r.p90Ms());
        p.put("p99Ms", r.p99Ms());
        return p;
    }

    void record(Load.Result r, String note) {
        results.put(r.name(), r);
        table.add(new String[] {r.name(), String.format("%.0f/s", r.perSecond()), String.format("%.1f", r.p50Ms()),
                String.format("%.1f", r.p99Ms()), (r.statuses() + " " + note).strip()});
        System.out.printf("%-62s %9.0f/s p50 %7.1f ms p99 %7.1f ms %s %s%n", r.name(), r.perSecond(), r.p50Ms(),
                r.p99Ms(), r.statuses(), note);
    }

    private void record(String name, double perSecond, Double p50, Double p99, String note) {
        results.put(name, perSecond);
        table.add(new String[] {name, String.format("%.0f/s", perSecond), p50 == null ? "" : p50.toString(),
                p99 == null ? "" : p99.toString(), note});
        System.out.printf("%-62s %9.0f/s %s%n", name, perSecond, note);
    }

    /** A figure of its own in results.json. */
    void result(String key, Object value) {
        results.put(key, value);
    }

    /** A row of the table: figure, rate, p50, p99, note. */
    void row(String... cells) {
        table.add(cells);
    }

    private void write(Path out) throws Exception {
        ObjectNode json = EventJson.mapper().createObjectNode();
        json.put("at", Instant.now().toString());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.set("results", EventJson.mapper().valueToTree(results));
        Files.writeString(out.resolve("results.json"), EventJson.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(json));
        StringBuilder md = new StringBuilder("| figure | rate | p50 ms | p99 ms | answers, ratio |\n|---|---|---|---|---|\n");
        for (String[] row : table) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        Files.writeString(out.resolve("results.md"), md.toString());
        LatencyPlot.write(out.resolve("latency.png"), results);
        System.out.println();
        System.out.println(md);
        System.out.println("written: " + out.resolve("results.json") + ", results.md, latency.png");
    }

}
