package org.pvlifecycle.eventstore;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.outbox.*}: how the outbox is published to Kafka. */
@ConfigMapping(prefix = "pvl.outbox")
public interface OutboxConfig {
    /** Rows published per batch. */
    @WithDefault("200")
    int batchSize();

    /**
     * The most bytes of payload published per batch, past its first event (which goes alone when
     * larger): consensus-service's eligibility changes carry every open objection of their
     * proposal (300 kB with 2,000), and 200 of them read at once had filled its heap.
     */
    @WithDefault("4M")
    io.quarkus.runtime.configuration.MemorySize batchBytes();

    /** How long one relay holds the outbox before another replica may take it over. */
    @WithDefault("PT30S")
    Duration lease();

    /** How often the outbox is looked at when no notification woke the relay. */
    @WithDefault("250ms")
    Duration pollInterval();

    /**
     * Publish as soon as outbox rows commit (low latency: this instance's relay is woken after its
     * own commits, the lease holder in another instance by a PostgreSQL notification), or leave it
     * all to the next tick.
     */
    @WithDefault("true")
    boolean wakeOnAppend();
}
