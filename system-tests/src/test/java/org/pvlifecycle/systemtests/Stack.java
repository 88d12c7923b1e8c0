package org.pvlifecycle.systemtests;

import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.testkit.TestSmtp;
import org.pvlifecycle.testkit.TestTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The whole stack as {@code ./pvl up} runs it: PostgreSQL and Kafka each in a JVM of its own
 * (testkit's launchers), the six built services with the environment ./pvl gives them, an SMTP
 * server in this JVM. Free ports, data and logs under {@code target/system-tests}. Parts can be
 * killed and started again with the same command, ports and data. Closing it stops everything, and
 * so does this JVM's exit if the tests never get to close it.
 */
final class Stack implements AutoCloseable {
    static final List<String> SERVICES = List.of("proposal-service", "review-service", "consensus-service",
            "projection-service", "notification-service", "mail-service");
    /** Eight JVMs start side by side on two cores: the first start is slow. */
    static final Duration FIRST_START = Duration.ofSeconds(240);
    static final Duration RESTART = Duration.ofSeconds(120);
    /** A running service unready this long after a scenario is taken for hung. */
    static final Duration HUNG_AFTER = Duration.ofSeconds(30);
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path STACK_DIR = ROOT.resolve("system-tests/target/system-tests");
    /**
     * The mail bridge's own token (role mail-gateway), as ./pvl makes it into .pvl/keys at each
     * start; it is valid for an hour, longer than the suite may run (the fork's timeout).
     */
    static final Path MAIL_GATEWAY_TOKEN = STACK_DIR.resolve("keys/mail-gateway.jwt");

    private final int postgresPort = FreePorts.pick();
    private final int kafkaPort = FreePorts.pick();
    private final Map<String, Integer> servicePorts = new LinkedHashMap<>();
    private final ManagedProcess postgres;
    private final ManagedProcess kafka;
    private final Map<String, ManagedProcess> services = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread stopOnExit = new Thread(this::stopEverything, "system-tests-stack-stop");

    private Stack() {
        Path logs = STACK_DIR.resolve("logs");
        String java = StackJava.tool("java");
        String classpath = launcherClasspath();
        postgres = new ManagedProcess("postgres", List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath,
                "org.pvlifecycle.localstack.LocalStackPostgres", STACK_DIR.resolve("postgres").toString(),
                String.valueOf(postgresPort)), Map.of(), logs.resolve("postgres.log"));
        kafka = new ManagedProcess("kafka", List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", classpath,
                "org.pvlifecycle.localstack.LocalStackKafka", STACK_DIR.resolve("kafka").toString(),
                String.valueOf(kafkaPort), String.valueOf(FreePorts.pick())), Map.of(), logs.resolve("kafka.log"));
        for (String service : SERVICES) {
            servicePorts.put(service, FreePorts.pick());
        }
        for (String service : SERVICES) {
            Path app = ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(app)) {
                throw new IllegalStateException(app + " is missing: the services are built before this module");
            }
            services.put(service, new ManagedProcess(service, List.of(java, "-Xms32m", "-Xmx160m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-jar", app.toString()), environmentOf(service),
                    logs.resolve(service + ".log")));
        }
    }

    /** Starts everything on fresh data and returns once every service is ready. */
    static Stack start() {
        deleteRecursively(STACK_DIR);
        try {
            Files.createDirectories(STACK_DIR.resolve("logs"));
            Files.createDirectories(MAIL_GATEWAY_TOKEN.getParent());
            Files.writeString(MAIL_GATEWAY_TOKEN, TestTokens.raw("mail-bridge", "mail-gateway") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Stack stack = new Stack();
        Runtime.getRuntime().addShutdownHook(stack.stopOnExit);
        try {
            long started = System.nanoTime();
            stack.postgres.start();
            stack.kafka.start();
            stack.awaitPostgres(FIRST_START);
            stack.kafka.awaitOutput("Kafka ready", FIRST_START);
            System.out.println("The stack on Java " + StackJava.feature(StackJava.home()) + " (" + StackJava.home() + ")");
            System.out.println("PostgreSQL on :" + stack.postgresPort + " with " + stack.postgresDurability()
                    + "; Kafka on :" + stack.kafkaPort);
            stack.services.values().forEach(ManagedProcess::start);
            for (String service : SERVICES) {
                stack.awaitReady(service, FIRST_START);
            }
            System.out.printf("The stack is up in %d s: %s; logs in %s%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), stack.servicePorts, STACK_DIR.resolve("logs"));
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    URI uri(String service, String path) {
        return URI.create("http://127.0.0.1:" + servicePorts.get(service) + path);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres";
    }

    String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    void kill9(String service) {
        services.get(service).kill9();
    }

    /** Starts the service again with the same command and port; returns once it is ready. */
    void restart(String service) {
        long started = System.nanoTime();
        services.get(service).start();
        awaitReady(service, RESTART);
        printReadyAgain(service, started);
    }

    private static void printReadyAgain(String part, long startedNanos) {
        System.out.printf("%s ready again in %.1f s%n", part, (System.nanoTime() - startedNanos) / 1e9);
    }

    void kafkaKill9() {
        kafka.kill9();
    }

    void restartKafka() {
        long started = System.nanoTime();
        kafka.start();
        kafka.awaitOutput("Kafka ready", RESTART);
        printReadyAgain("Kafka", started);
    }

    /**
     * PostgreSQL's immediate shutdown (SIGQUIT to the postmaster: no checkpoint, crash recovery at
     * the next start), then the launcher JVM killed: the server is gone until
     * {@link #restartPostgres()}.
     */
    void postgresImmediateShutdown() {
        long postmaster = postmasterPid().orElseThrow(() -> new IllegalStateException("no postmaster.pid"));
        run("kill", "-QUIT", String.valueOf(postmaster));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the postmaster " + postmaster + " ignored SIGQUIT for 30 s");
            }
            Sleep.millis(50);
        }
        postgres.kill9();
    }

    /** A new launcher on the same data and port, as ./pvl starts it; returns once it takes connections. */
    void restartPostgres() {
        long started = System.nanoTime();
        postgres.start();
        awaitPostgres(RESTART);
        printReadyAgain("PostgreSQL", started);
    }

    /**
     * Starts again whatever is not running, and restarts a service that runs but stays unready (a
     * scenario that failed half-way may leave a part down or hung), as a liveness probe would; the
     * threads of a hung service are dumped to its log directory first.
     */
    void ensureRunning() {
        if (!postgres.isAlive()) {
            restartPostgres();
        }
        if (!kafka.isAlive()) {
            restartKafka();
        }
        for (String service : SERVICES) {
            if (services.get(service).isAlive() && !becomesReady(service, HUNG_AFTER)) {
                System.out.printf("%s runs but has not been ready for %s (threads: %s); restarting it%n", service,
                        HUNG_AFTER, threadDump(service));
                kill9(service);
            }
            if (!services.get(service).isAlive()) {
                restart(service);
            }
        }
    }

    /** {@code jcmd PID Thread.print} of a running service, into a file beside its log; returns the file. */
    Path threadDump(String service) {
        Path dump = STACK_DIR.resolve("logs").resolve(service + "-threads-" + System.currentTimeMillis() + ".txt");
        try {
            Process jcmd = new ProcessBuilder(StackJava.tool("jcmd"),
                    String.valueOf(services.get(service).pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(dump.toFile()).start();
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The service's readiness as {@code /q/health/ready} reports it: UP, DOWN, or UNREACHABLE. */
    String readiness(String service) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(service, "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            String status = EventJson.mapper().readTree(response.body()).path("status").asText("");
            return response.statusCode() == 200 && status.equals("UP") ? "UP" : status.isEmpty() ? "HTTP "
                    + response.statusCode() : status;
        } catch (IOException e) {
            return "UNREACHABLE";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void awaitReady(String service, Duration timeout) {
        ManagedProcess process = services.get(service);
        if (!becomesReady(service, timeout)) {
            throw new IllegalStateException(process.isAlive()
                    ? service + " was not ready within " + timeout + " (" + readiness(service) + "; threads: "
                            + threadDump(service) + "):\n" + process.tail()
                    : service + " exited while starting:\n" + process.tail());
        }
    }

    /** True once the service reports itself ready; false if it does not within {@code timeout} or exits. */
    private boolean becomesReady(String service, Duration timeout) {
        ManagedProcess process = services.get(service);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!readiness(service).equals("UP")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                return false;
            }
            Sleep.millis(500);
        }
        return true;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    @Override
    public void close() {
        stopEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it finds everything stopped.
        }
    }

    /** Services first, then Kafka, then PostgreSQL, as ./pvl down does; nothing is left running. */
    private void stopEverything() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        services.values().forEach(ManagedProcess::requestStop);
        services.values().forEach(service -> service.stop(Duration.ofSeconds(20)));
        kafka.stop(Duration.ofSeconds(30));
        postgres.stop(Duration.ofSeconds(30));
        // A postmaster whose launcher was killed keeps running: stop it by its own pid file.
        postmasterPid().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .ifPresent(pid -> {
                    run("kill", "-INT", String.valueOf(pid));
                    ProcessHandle.of(pid).ifPresent(handle -> {
                        try {
                            handle.onExit().get(20, TimeUnit.SECONDS);
                        } catch (Exception notStopped) {
                            handle.destroyForcibly();
                        }
                    });
                });
    }

    private Map<String, String> environmentOf(String service) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(servicePorts.get(service)));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + postgresPort + "/postgres");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestTokens.publicKeyLocation());
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        if (service.equals("notification-service")) {
            env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
            env.put("QUARKUS_MAILER_PORT", TestSmtp.port());
            env.put("QUARKUS_MAILER_START_TLS", "DISABLED");
            env.put("PVL_NOTICES_LINK_BASE", uri("projection-service", "").toString());
        }
        if (service.equals("mail-service")) {
            env.put("PVL_MAIL_REVIEW_URL", uri("review-service", "").toString());
            env.put("PVL_MAIL_GATEWAY_TOKEN_FILE", MAIL_GATEWAY_TOKEN.toString());
        }
        return env;
    }

    /** The launcher prints its line once the server takes connections and runs durably (it exits otherwise). */
    private void awaitPostgres(Duration timeout) {
        postgres.awaitOutput("PostgreSQL ready", timeout);
    }

    /** What makes a commit durable; printed, since a crash under load loses acknowledged rows without them. */
    private String postgresDurability() {
        List<String> settings = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = s.executeQuery("show " + name)) {
                    rs.next();
                    settings.add(name + "=" + rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return String.join(", ", settings);
    }

    private Optional<Long> postmasterPid() {
        Path pidFile = STACK_DIR.resolve("postgres/data/postmaster.pid");
        try {
            return Files.exists(pidFile)
                    ? Files.readAllLines(pidFile).stream().findFirst().map(String::strip).map(Long::parseLong)
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The classpath of the Kafka and PostgreSQL launchers: this JVM's own, which holds testkit and
     * its dependencies. Surefire puts a manifest-only jar on {@code java.class.path} and the real
     * path in {@code surefire.test.class.path}.
     */
    private static String launcherClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: "
                        + new String(process.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
