package org.pvlifecycle.projection.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

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
     * How long a proposal's fold must have gone without a refresh before another's may take its
     * place ({@link KeptFoldCache}): proposals refreshed in turn that do not all fit keep those
     * that do, instead of each dropping the next one's.
     */
    @WithDefault("PT5S")
    Duration evictIdleFor();

    /**
     * How many of a proposal's latest events are kept apart from the view folded before them, so
     * that one arriving after a later one (the topics arrive in their own orders) is merged in
     * without reading the whole log again; between this and twice this.
     */
    @WithDefault("32")
    int tailEvents();

    /**
     * How many events a fold of a proposal's whole log reads at a time
     * ({@link LogFolds#foldWhole}); a page also stops at the event that brings its
     * payload to 2 MiB, whatever this says. Less than 1 is taken as 1.
     */
    @WithDefault("500")
    int pageEvents();
}
