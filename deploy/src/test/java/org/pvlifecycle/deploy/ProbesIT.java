package org.pvlifecycle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.TestDatabase;
import org.pvlifecycle.testkit.TestKafka;
import org.pvlifecycle.testkit.TestTokens;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probes of a Deployment answer on the running service: the built proposal service is
 * started with exactly the environment variables its dev Deployment sets (the values that name
 * cluster hosts and secrets replaced by the test's Kafka, PostgreSQL and token key), and its
 * startup, readiness and liveness probes are called on the port the Deployment declares.
 */
class ProbesIT {
    static final String SERVICE = "proposal-service";

    @Test
    void theDeploymentsProbesAnswerOnTheRunningServiceWithItsEnvironment() throws Exception {
        List<JsonNode> dev = Manifests.render("overlays/dev");
        Deployment deployment = Manifests.typed(Manifests.named(dev, "Deployment", SERVICE), Deployment.class);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        int port = container.getPorts().get(0).getContainerPort();

        Map<String, String> forTest = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers(),
                "QUARKUS_DATASOURCE_REACTIVE_URL", TestDatabase.url(),
                "QUARKUS_DATASOURCE_JDBC_URL", TestDatabase.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER,
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestTokens.publicKeyLocation());
        Path app = Manifests.ROOT.resolve(SERVICE).resolve("target/quarkus-app/quarkus-run.jar");
        assertThat(app).as("built by mvn -B verify before this module").exists();
        Path log = Files.createTempFile("probes", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", app.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("KAFKA_")
                || k.startsWith("MP_") || k.startsWith("PVL_"));
        for (EnvVar var : container.getEnv()) {
            String value = var.getValue() != null ? var.getValue() : forTest.get(var.getName());
            assertThat(value).as("%s has a value here or in the Deployment", var.getName()).isNotNull();
            builder.environment().put(var.getName(), forTest.getOrDefault(var.getName(), value));
        }
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int started = -1;
            while (started != 200 && System.nanoTime() < deadline && process.isAlive()) {
                started = status(http, port, container.getStartupProbe());
                if (started != 200) {
                    Thread.sleep(500);
                }
            }
            assertThat(started).as("startup probe; the service's log: %s", Files.readString(log)).isEqualTo(200);
            assertThat(status(http, port, container.getReadinessProbe())).isEqualTo(200);
            assertThat(status(http, port, container.getLivenessProbe())).isEqualTo(200);
            // QUARKUS_LOG_CONSOLE_JSON_ENABLED from the Deployment: the log lines are JSON. Quarkus
            // logs "started in" just after its HTTP server answers, so the line may come a moment later.
            long logDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.readAllLines(log).stream().noneMatch(l -> l.contains("started in"))
                    && System.nanoTime() < logDeadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readAllLines(log)).filteredOn(l -> l.contains("started in")).singleElement()
                    .satisfies(line -> assertThat(line).startsWith("{").contains("\"message\""));
            // Behind the Gateway, which ends TLS and says so in X-Forwarded-Proto: the Location of
            // a created resource is the https address a client reached, not the pod's http one.
            String id = "probe-" + Long.toHexString(System.nanoTime());
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/proposals"))
                    .header("Authorization", TestTokens.mint("alice", "contributor"))
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "pv-lifecycle.example.org")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"title\":\"Probe\","
                            + "\"summary\":\"\",\"components\":[\"linux-frontend\"],\"spec\":\"# ABI\"}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.headers().firstValue("Location"))
                    .hasValue("https://pv-lifecycle.example.org/proposals/" + id);
        } finally {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static int status(HttpClient http, int port, Probe probe) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + probe.getHttpGet().getPath()))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
