package org.pvlifecycle.consensus;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.consensus.domain.ConsensusDecider;
import org.pvlifecycle.consensus.domain.Eligibility;
import org.pvlifecycle.consensus.domain.Policy;
import org.pvlifecycle.consensus.domain.ProposalState;
import org.pvlifecycle.consensus.persistence.ConsensusRepository;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.eventstore.EventStore;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Runs the {@link org.pvlifecycle.consensus.domain.ConsensusDecider} against the stored state: one proposal at a time, under its row lock, with the
 * events it decides appended (and their outbox rows) in the same transaction as the new state.
 */
@ApplicationScoped
public class ConsensusCommands {
    static final String SYSTEM = "consensus-service";

    @Inject
    ConsensusRepository repository;

    @Inject
    EventStore store;

    @Inject
    Clock clock;

    /** Applies an event of the proposal or review service; runs in the consumer's transaction. */
    public Uni<Void> onEvent(EventEnvelope<LifecycleEvent> event) {
        String id = event.subject();
        return repository.lock(id).flatMap(stored -> repository.policy().flatMap(policy -> {
            ProposalState folded = ConsensusDecider.apply(stored.state(), id, event.data(), event.time());
            folded = ConsensusDecider.withAuthor(folded, event.data(), event.actor());
            ConsensusDecider.Outcome outcome = ConsensusDecider.advance(folded, policy, clock.instant());
            return persist(stored, outcome, policy, SYSTEM);
        }));
    }

    /**
     * Locks the rows of these proposals in one order, before a batch of events changes them one
     * by one; runs in the consumer's transaction.
     */
    public Uni<Void> lockAll(List<String> ids) {
        return repository.lockAll(ids);
    }

    /** Fires what is due: claims due proposals (skipping those another replica holds) and advances them. */
    public Uni<Integer> fireDue(int limit) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> repository.claimDue(now, limit).flatMap(ids -> repository.policy()
                .flatMap(policy -> sequentially(ids, id -> repository.lock(id).flatMap(stored ->
                        persist(stored, ConsensusDecider.advance(stored.state(), policy, now), policy, SYSTEM))))
                .replaceWith(ids.size())));
    }

    /** The Czar's decision, in a transaction of its own. */
    public Uni<ConsensusDecider.Outcome> decide(String id, Stage to, String czar, boolean override, String rationale) {
        return Panache.withTransaction(() -> repository.lock(id).flatMap(stored -> repository.policy().flatMap(policy -> {
            ConsensusDecider.Outcome outcome = ConsensusDecider.decide(stored.state(), policy, clock.instant(), to, czar,
                    override, rationale);
            return persist(stored, outcome, policy, czar).replaceWith(outcome);
        })));
    }

    /** The answer now, without changing anything; null when the proposal is unknown. */
    public Uni<Eligibility.Answer> eligibility(String id) {
        return repository.find(id).flatMap(state -> Panache.withSession(() -> repository.policy()).map(policy ->
                state == null || state.owner() == null ? null : Eligibility.evaluate(state, policy, clock.instant())));
    }

    private Uni<Void> persist(ConsensusRepository.Stored stored, ConsensusDecider.Outcome outcome, Policy policy,
            String actor) {
        ProposalState state = outcome.state();
        Instant now = clock.instant();
        Eligibility.Answer answer = state.owner() == null ? null : Eligibility.evaluate(state, policy, now);
        Uni<Long> version = outcome.events().isEmpty()
                ? Uni.createFrom().item(stored.emittedVersion())
                : store.append(state.proposalId(), stored.emittedVersion(), actor, outcome.events())
                        .map(appended -> appended.get(appended.size() - 1).sequence());
        return version.flatMap(v -> repository.save(state, v, answer == null ? null : answer.nextDeadline(),
                answer != null && answer.eligible() && state.pendingTransitionTo() == null,
                answer != null && answer.decisionOverdueSince() != null, now, stored.state() == null));
    }

    private static <T> Uni<Void> sequentially(List<T> items, Function<T, Uni<Void>> work) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T item : items) {
            chain = chain.flatMap(v -> work.apply(item));
        }
        return chain;
    }
}
