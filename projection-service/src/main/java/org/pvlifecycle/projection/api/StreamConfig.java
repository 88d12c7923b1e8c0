package org.pvlifecycle.projection.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.stream.*}: how the event stream follows the log. */
@ConfigMapping(prefix = "pvl.stream")
public interface StreamConfig {
    /** How often the shared tail reads the log when no event of this instance woke it (others' events, holes). */
    @WithDefault("PT0.25S")
    Duration pollInterval();

    /** How often a keep-alive comment goes out, so proxies keep the stream open. */
    @WithDefault("PT15S")
    Duration pingInterval();
}
