package org.pvlifecycle.testkit;

import org.pvlifecycle.localstack.KafkaBroker;

/**
 * The one Kafka broker of this test JVM, started on first use and shared by every test class.
 * When {@code PVL_TEST_KAFKA} names bootstrap servers, that broker is used instead and nothing is
 * started (then {@link #stop()} and {@link #start()} are refused: it is not ours to stop).
 */
public final class TestKafka {
    public static final String ENV = "PVL_TEST_KAFKA";
    private static KafkaBroker broker;

    public static String bootstrapServers() {
        if (!JvmWide.isHome(TestKafka.class)) {
            return (String) JvmWide.call(TestKafka.class, "bootstrapServers");
        }
        String external = System.getenv(ENV);
        if (external != null && !external.isBlank()) {
            return external;
        }
        synchronized (TestKafka.class) {
            if (broker == null) {
                broker = KafkaBroker.onFreePorts().start();
                Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "pvl-test-kafka-stop"));
            }
            return broker.bootstrapServers();
        }
    }

    /** Stops the shared broker (same ports and data kept), to test what happens while Kafka is down. */
    public static void stop() {
        if (!JvmWide.isHome(TestKafka.class)) {
            JvmWide.call(TestKafka.class, "stop");
            return;
        }
        ownBroker().stop();
    }

    /** Starts the shared broker again after {@link #stop()}; returns when it answers. */
    public static void start() {
        if (!JvmWide.isHome(TestKafka.class)) {
            JvmWide.call(TestKafka.class, "start");
            return;
        }
        ownBroker().start();
    }

    private static synchronized KafkaBroker ownBroker() {
        bootstrapServers();
        if (broker == null) {
            throw new IllegalStateException("the broker comes from " + ENV + "; a test cannot stop it");
        }
        return broker;
    }

    private TestKafka() {
    }
}
