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

    /**
     * Races to its aggregate's version an event's effect may lose before the next lost one counts
     * as an attempt: a race is lost when a request on the aggregate commits first, not that often
     * in a row (50 is about 25 s of back-to-back requests).
     */
    @WithDefault("50")
    int maxLostRaces();

    /** The pause before the second attempt; it doubles from there. */
    @WithDefault("PT0.5S")
    Duration retryDelay();

    /** The longest pause between two attempts while the database is away. */
    @WithDefault("PT5S")
    Duration outageRetryCap();
}
