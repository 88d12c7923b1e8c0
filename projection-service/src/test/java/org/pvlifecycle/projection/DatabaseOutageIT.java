package org.pvlifecycle.projection;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.DatabaseOutage;
import org.pvlifecycle.testkit.PvlTestResources;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The read side while PostgreSQL is away: an open event stream ends cleanly with a reconnect hint,
 * reads and new streams are fast 503s, readiness is DOWN; when the database is back everything
 * serves again by itself and the stream resumes exactly after the last id the client had.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class DatabaseOutageIT {
    @TestHTTPResource("/")
    URI base;

    @Test
    void theStreamEndsCleanlyReadsAre503AndAllResumesWhenTheDatabaseIsBack() throws Exception {
        String id = ProjectionIT.lived("pv-" + ProjectionIT.uuid().substring(0, 8));
        HttpURLConnection stream = open("streams/events?from=0&proposal=" + id, null);
        List<String> ids = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (ids.size() < 3 && (line = reader.readLine()) != null) {
                if (line.startsWith("id:")) {
                    ids.add(line.substring(3).strip());
                }
            }
            DatabaseOutage.begin();
            // The server ends the stream (the read returns null), it does not cut it or hang.
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("id:")) {
                    ids.add(line.substring(3).strip());
                }
            }
        } catch (RuntimeException | java.io.IOException e) {
            DatabaseOutage.end();
            throw e;
        }
        try {
            assertThat(lines).anyMatch(l -> l.startsWith("retry:"));

            Response read = given().header("Authorization", ProjectionIT.TOKEN).get("/proposals/" + id);
            assertThat(read.statusCode()).isEqualTo(503);
            assertThat(read.contentType()).startsWith("application/problem+json");
            assertThat(read.header("Retry-After")).isNotBlank();
            // A view as of an instant is folded in a transaction of its own: refused as fast.
            Response asOf = given().header("Authorization", ProjectionIT.TOKEN)
                    .get("/proposals/" + id + "?asOf=2999-01-01T00:00:00Z");
            assertThat(asOf.statusCode()).isEqualTo(503);
            assertThat(asOf.contentType()).startsWith("application/problem+json");
            Response list = given().header("Authorization", ProjectionIT.TOKEN).get("/proposals");
            assertThat(list.statusCode()).isEqualTo(503);
            HttpURLConnection refused = open("streams/events?proposal=" + id, ids.get(ids.size() - 1));
            assertThat(refused.getResponseCode()).isEqualTo(503);
            assertThat(given().get("/q/health/ready").statusCode()).isEqualTo(503);
        } finally {
            DatabaseOutage.end();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/q/health/ready").statusCode() == 200
                && given().header("Authorization", ProjectionIT.TOKEN).get("/proposals/" + id).statusCode() == 200);
        List<Integer> all = ProjectionIT.get("/proposals/" + id + "/timeline").getList("position");
        List<String> rest = new ArrayList<>();
        HttpURLConnection resumed = open("streams/events?proposal=" + id, ids.get(ids.size() - 1));
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(resumed.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (ids.size() + rest.size() < all.size() && (line = reader.readLine()) != null) {
                if (line.startsWith("id:")) {
                    rest.add(line.substring(3).strip());
                }
            }
        } finally {
            resumed.disconnect();
        }
        List<String> seen = new ArrayList<>(ids);
        seen.addAll(rest);
        // Every event once, in log order, across the outage.
        assertThat(seen).containsExactlyElementsOf(all.stream().sorted().map(String::valueOf).toList());
    }

    HttpURLConnection open(String path, String lastEventId) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) new URL(base.resolve(path).toString()).openConnection();
        connection.setRequestProperty("Authorization", ProjectionIT.TOKEN);
        if (lastEventId != null) {
            connection.setRequestProperty("Last-Event-ID", lastEventId);
        }
        connection.setReadTimeout(20_000);
        return connection;
    }
}
