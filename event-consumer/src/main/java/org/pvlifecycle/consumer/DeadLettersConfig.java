package org.pvlifecycle.consumer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.dead-letters.*}: reading the dead-letter topics. */
@ConfigMapping(prefix = "pvl.dead-letters")
public interface DeadLettersConfig {
    /** How long a read of the dead-letter topics waits for Kafka before the request is a 503. */
    @WithDefault("PT2S")
    Duration kafkaTimeout();
}
