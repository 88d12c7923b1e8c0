package org.pvlifecycle.notification.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.deliveries.*}: how deliveries are claimed, sent and retried. */
@ConfigMapping(prefix = "pvl.deliveries")
public interface DeliveriesConfig {

    /** Off in tests that want planned deliveries to stay pending. */
    @WithDefault("true")
    boolean enabled();

    /** How long one attempt may take before it counts as failed. */
    @WithDefault("PT10S")
    Duration timeout();

    /** How often due deliveries are looked for when nothing woke the worker (a restart, a retry timer lost). */
    @WithDefault("1s")
    Duration pollInterval();

    /** At most this many attempts in flight at once. */
    @WithDefault("64")
    int maxInFlight();

    Retry retry();

    interface Retry {
        @WithDefault("PT2S")
        Duration base();

        @WithDefault("PT10M")
        Duration cap();

        @WithDefault("8")
        int maxAttempts();
    }
}
