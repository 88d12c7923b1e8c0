package org.pvlifecycle.projection.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.projection.domain.KeptFold;
import org.pvlifecycle.projection.domain.ProposalHistory;

import java.util.Objects;
import java.util.Optional;

/**
 * The views of the proposals whose summaries were refreshed lately, kept as folded
 * ({@link KeptFold}), so that a refresh reads, parses and folds only the events logged since, not
 * a proposal's whole history again: with thousands of events, that had been most of the
 * service's work per event, and a read of the whole log each time the kept logs overflowed.
 *
 * <p>Used only under the proposal's hold ({@link ProjectionRepository#holdProposals}). Every event
 * of a proposal is logged under that hold, taken before its position is drawn, so the positions of
 * a proposal's events follow the order their transactions commit in: a fold of every event up to
 * a position stays a fold of every event up to it. What is kept is checked against the summary
 * each time: the position the summary was folded up to, written in the same transaction, must be
 * the kept fold's, else the whole log is read again. That covers a refresh whose transaction
 * rolled back after its fold was kept (its positions are never drawn again), a summary another
 * instance refreshed meanwhile, and a list model rebuilt by a replay.
 * Made at start, so that its gauge of what is kept is on {@code /q/metrics} before the first refresh.
 */
@ApplicationScoped
@Startup
public class ProposalFolds {
    @Inject
    ProjectionRepository repository;

    @Inject
    LogFolds logFolds;

    @Inject
    KeptFoldsConfig config;

    /**
     * Refreshes by how they folded: on from a kept view, or from the whole log (nothing kept, or a
     * kept view not the committed one, or an event older than its last ones). Many of the latter
     * under steady load say the proposals being refreshed do not fit {@link KeptFoldsConfig#maxEvents}.
     */
    @Inject
    MeterRegistry registry;

    private KeptFoldCache kept;

    @PostConstruct
    void keptFolds() {
        kept = new KeptFoldCache(config.maxEvents(), config.evictIdleFor().toMillis());
        registry.gauge("pvl.projection.kept.fold.events", kept, KeptFoldCache::events);
    }

    /**
     * A refresh's fold: the proposal's whole log folded ({@link KeptFold#current} null while it
     * holds no submission), and the view its summary was last committed with, when this instance
     * knows it (null otherwise): what is stored already.
     */
    public record Refreshed(ProposalHistory committed, KeptFold fold) {
    }

    public Uni<Refreshed> current(String proposalId) {
        KeptFold known = get(proposalId);
        if (known == null) {
            return foldWhole(proposalId, "not-kept");
        }
        return repository.foldableAfter(proposalId, known.upTo()).flatMap(newer -> {
            boolean committed = Objects.equals(newer.foldedUpTo(), known.upTo());
            Optional<KeptFold> next = committed ? known.with(newer.events(), config.tailEvents()) : Optional.empty();
            if (next.isEmpty()) {
                return foldWhole(proposalId, committed ? "older-event" : "not-committed")
                        .map(whole -> new Refreshed(committed ? known.current() : null, whole.fold()));
            }
            registry.counter("pvl.projection.refreshes", "folded", "on", "why", "kept-and-committed").increment();
            put(proposalId, next.get());
            return Uni.createFrom().item(new Refreshed(known.current(), next.get()));
        });
    }

    private Uni<Refreshed> foldWhole(String proposalId, String why) {
        registry.counter("pvl.projection.refreshes", "folded", "whole-log", "why", why).increment();
        return logFolds.foldWhole(proposalId, null, config.tailEvents()).map(fold -> {
            put(proposalId, fold);
            return new Refreshed(null, fold);
        });
    }

    private KeptFold get(String proposalId) {
        return kept.get(proposalId);
    }

    private void put(String proposalId, KeptFold fold) {
        kept.put(proposalId, fold, System.nanoTime() / 1_000_000);
    }
}
