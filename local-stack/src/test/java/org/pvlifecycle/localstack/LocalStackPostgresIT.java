package org.pvlifecycle.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack's PostgreSQL runs durably, although the launcher it comes from would not: the
 * server is asked, with {@code SHOW}, for what is in force, on a first start and on a restart
 * over the same data (the way {@code ./pvl up} starts it again).
 */
class LocalStackPostgresIT {

    @Test
    void theStacksDatabaseRunsWithFsyncSynchronousCommitAndFullPageWrites(@TempDir Path home) throws Exception {
        int port = freePort();
        try (EmbeddedPostgres first = LocalStackPostgres.start(home, port)) {
            assertThat(LocalStackPostgres.settings(first))
                    .containsEntry("fsync", "on")
                    .containsEntry("synchronous_commit", "on")
                    .containsEntry("full_page_writes", "on");
        }
        try (EmbeddedPostgres again = LocalStackPostgres.start(home, port)) {
            assertThat(LocalStackPostgres.settings(again)).isEqualTo(LocalStackPostgres.DURABLE);
        }
    }

    @Test
    void theLaunchersOwnDefaultsWouldNotBeDurable() throws Exception {
        // Why the overrides exist: these defaults are fine for tests and nowhere else.
        try (EmbeddedPostgres plain = EmbeddedPostgres.builder().start();
                Connection connection = plain.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(show(statement, "fsync")).isEqualTo("off");
            assertThat(show(statement, "synchronous_commit")).isEqualTo("off");
        }
    }

    private static String show(Statement statement, String name) throws Exception {
        try (ResultSet result = statement.executeQuery("show " + name)) {
            result.next();
            return result.getString(1);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
