package org.pvlifecycle.projection.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.stream.*}: how the event stream follows the log. */
@ConfigMapping(prefix = "pvl.stream")
public interface StreamConfig {
    /** How often the shared tail reads the log when no event of this instance woke it (others' events, holes). */
    @WithDefault("PT0.25S")
    Duration pollInterval();

    /**
     * How many bytes of the newest events' payloads the shared tail keeps in memory, and as many
     * of their data as the streams send it ({@code api.StreamedData}); besides, at most
     * {@code EventLogTail.KEPT} events. A read of the log for the streams, or for a timeline, brings
     * no more than this either (or one event, when that one is larger). An eligibility-changed carries every open
     * objection of its proposal, 300 kB with 2,000 of them: ten thousand events kept by their
     * number alone had filled the projection's heap.
     */
    @WithDefault("16M")
    io.quarkus.runtime.configuration.MemorySize keptBytes();

    /** How often a keep-alive comment goes out, so proxies keep the stream open. */
    @WithDefault("PT15S")
    Duration pingInterval();
}
