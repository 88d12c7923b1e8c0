package org.pvlifecycle.projection.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code pvl.kept-logs.*}: how much of the proposals' logs the summaries' refreshes keep parsed ({@link ProposalLogs}). */
@ConfigMapping(prefix = "pvl.kept-logs")
public interface KeptLogsConfig {
    /**
     * The most events kept, over all proposals (without specs, a few hundred bytes each); the
     * proposals refreshed longest ago are dropped first, and a proposal with more is not kept.
     */
    @WithDefault("50000")
    int maxEvents();
}
