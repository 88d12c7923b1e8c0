package org.pvlifecycle.projection.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code pvl.kept-folds.*}: how much of the proposals' folded views the summaries' refreshes keep ({@link ProposalFolds}). */
@ConfigMapping(prefix = "pvl.kept-folds")
public interface KeptFoldsConfig {
    /**
     * The most events whose folds are kept, over all proposals (a kept fold holds about one entry
     * per event, a few hundred bytes, in two views sharing them); the proposals refreshed longest ago are dropped first, and a
     * proposal with more is not kept. One dropped has its whole log read and its revisions
     * written again at its next refresh.
     */
    @WithDefault("100000")
    int maxEvents();

    /**
     * How many of a proposal's latest events are kept apart from the view folded before them, so
     * that one arriving after a later one (the topics arrive in their own orders) is merged in
     * without reading the whole log again; between this and twice this.
     */
    @WithDefault("32")
    int tailEvents();
}
