package org.pvlifecycle.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * What a service really reads, from its own sources and its built application: the keys of its
 * application.properties and of the shared defaults (service-conventions, event-store and
 * event-consumer, as the root README says), the names of its
 * {@code @ConfigProperty} injections, and every property of the Quarkus extensions packaged in
 * {@code target/quarkus-app} (each extension ships a model of its configuration that names the
 * environment variable of each property).
 */
final class ServiceConfig {
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern ENV = Pattern.compile("\"environmentVariable\"\\s*:\\s*\"([A-Z0-9_]+)\"");

    final String service;
    final Properties properties = new Properties();
    final Set<String> keys = new HashSet<>();
    final Set<String> environmentVariables = new HashSet<>();

    ServiceConfig(String service) {
        this.service = service;
        Path module = Manifests.ROOT.resolve(service);
        load(module.resolve("src/main/resources/application.properties"), true);
        for (String shared : new String[] {"service-conventions", "event-store", "event-consumer"}) {
            load(Manifests.ROOT.resolve(shared + "/src/main/resources/META-INF/microprofile-config.properties"), false);
        }
        injectedNames(module.resolve("src/main/java"));
        injectedNames(Manifests.ROOT.resolve("event-store/src/main/java"));
        keys.forEach(k -> environmentVariables.add(env(k)));
        extensionProperties(module.resolve("target/quarkus-app/lib/main"));
    }

    /** The environment variable that sets a config key (MicroProfile Config's rule). */
    static String env(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    int httpPort() {
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    /** Every Kafka topic the service's channels consume or dead-letter to. */
    Set<String> topics() {
        Set<String> topics = new HashSet<>();
        properties.stringPropertyNames().stream()
                .filter(k -> k.startsWith("mp.messaging.") && (k.endsWith(".topic") || k.endsWith(".topics")))
                .forEach(k -> topics.addAll(Set.of(properties.getProperty(k).split(","))));
        return topics;
    }

    private void load(Path file, boolean own) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Manifests.read(file)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        for (String key : p.stringPropertyNames()) {
            String plain = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
            keys.add(plain);
            if (own || !properties.containsKey(plain)) {
                if (!key.startsWith("%")) {
                    properties.setProperty(plain, p.getProperty(key));
                }
            }
        }
    }

    private void injectedNames(Path sources) {
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                Matcher m = CONFIG_PROPERTY.matcher(Manifests.read(f));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void extensionProperties(Path libraries) {
        if (!Files.isDirectory(libraries)) {
            throw new AssertionError(service + " is not built (" + libraries + " is missing): run the tests from the "
                    + "root, mvn -B verify, which builds the services before this module");
        }
        try (Stream<Path> jars = Files.list(libraries)) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    var entry = zip.getEntry("META-INF/quarkus-config-doc/quarkus-config-model.json");
                    if (entry != null) {
                        Matcher m = ENV.matcher(new String(zip.getInputStream(entry).readAllBytes()));
                        while (m.find()) {
                            environmentVariables.add(m.group(1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String text(JsonNode node, String field) {
        return node.path(field).asText();
    }
}
