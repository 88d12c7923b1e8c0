package org.pvlifecycle.consumer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.consumer.*}: how a consumer retries an event it could not apply. */
@ConfigMapping(prefix = "pvl.consumer")
public interface ConsumerConfig {
    /** Attempts at an event that fails for a reason of its own before it is dead-lettered. */
    @WithDefault("3")
    int maxAttempts();

    /** The pause before the second attempt; it doubles from there. */
    @WithDefault("PT0.5S")
    Duration retryDelay();

    /** The longest pause between two attempts while the database is away. */
    @WithDefault("PT5S")
    Duration outageRetryCap();
}
