package org.pvlifecycle.consensus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.consensus.*}: the periods of consensus-service's background loops. */
@ConfigMapping(prefix = "pvl.consensus")
public interface ConsensusConfig {
    /**
     * How often due deadlines are looked for (ISO-8601, or 1s/500ms). A deadline fires up to one
     * period late; a policy with a two-second review window wants less than a second.
     */
    @WithDefault("PT0.5S")
    Duration tick();

    /** How often the proposals are counted again for the gauges. */
    @WithDefault("PT10S")
    Duration gaugeRefresh();
}
