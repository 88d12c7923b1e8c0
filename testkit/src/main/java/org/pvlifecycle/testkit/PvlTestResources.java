package org.pvlifecycle.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} the real broker, the real database and the test token key. Both
 * are started once per JVM and shared by every test class of the module: restarting a broker per
 * class would cost seconds each on two cores.
 */
public class PvlTestResources implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("quarkus.datasource.reactive.url", TestDatabase.url());
        config.put("quarkus.datasource.jdbc.url", TestDatabase.jdbcUrl());
        config.put("quarkus.datasource.username", TestDatabase.user());
        config.put("quarkus.datasource.password", TestDatabase.password());
        config.put("mp.jwt.verify.publickey.location", TestTokens.publicKeyLocation());
        config.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        return config;
    }

    /**
     * The same, with the database reached through {@link DatabaseOutage}'s relay, so that a test
     * can take it away and bring it back. Every test class of a module must use the same one.
     */
    public static class DatabaseThroughRelay extends PvlTestResources {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            config.put("quarkus.datasource.reactive.url", DatabaseOutage.url());
            config.put("quarkus.datasource.jdbc.url", DatabaseOutage.jdbcUrl());
            return config;
        }
    }

    @Override
    public void stop() {
        // Shared for the whole JVM: the broker and the database stop with it.
    }
}
