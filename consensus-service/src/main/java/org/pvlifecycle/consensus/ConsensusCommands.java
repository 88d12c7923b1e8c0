package org.pvlifecycle.consensus;

import org.pvlifecycle.eventstore.SessionSql;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    private final Timer lateness;

    /**
     * How long after it fell due each deadline was fired, up to the commit of its pass: the loop's
     * tick and the pass's own time with the database. A deadline the consumer meets first (an
     * event of the proposal came after it) is not counted. A policy change makes every open
     * proposal due at once; those count too, their lateness the time the re-evaluation took.
     */
    ConsensusCommands(MeterRegistry registry) {
        lateness = Timer.builder("pvl.deadlines.lateness")
                .description("How long after falling due a deadline was fired by the deadline loop")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /**
     * Applies events of the proposal or review service, in order; runs in the consumer's
     * transaction. Each event is folded and the proposal advanced to that moment, as if it came
     * alone, so every announcement it causes is made; but each proposal's row is locked and read
     * once, before the first event (all of them in id order, so that two consumers' batches never
     * wait on each other in a circle), and its events and new state written once, after the last.
     */
    public Uni<Void> onEvents(List<EventEnvelope<LifecycleEvent>> events) {
        List<String> ids = events.stream().map(EventEnvelope::subject).distinct().sorted().toList();
        return repository.lockAll(ids).flatMap(stored -> repository.policy().flatMap(policy -> {
            Map<String, Pending> pending = new TreeMap<>();
            for (EventEnvelope<LifecycleEvent> event : events) {
                String id = event.subject();
                Pending p = pending.computeIfAbsent(id,
                        key -> new Pending(stored.getOrDefault(key, new ConsensusRepository.Stored(null, 0))));
                ProposalState folded = ConsensusDecider.apply(p.state, id, event.data(), event.time());
                folded = ConsensusDecider.withAuthor(folded, event.data(), event.actor());
                ConsensusDecider.Outcome outcome = ConsensusDecider.advance(folded, policy, clock.instant());
                p.state = outcome.state();
                p.events.addAll(outcome.events());
            }
            return sequentially(List.copyOf(pending.values()),
                    p -> persist(p.stored, p.state, p.events, policy, SYSTEM));
        }));
    }

    /** A proposal's row as locked, and what the events of a batch have made of it so far. */
    private static final class Pending {
        final ConsensusRepository.Stored stored;
        ProposalState state;
        final List<LifecycleEvent> events = new ArrayList<>();

        Pending(ConsensusRepository.Stored stored) {
            this.stored = stored;
            this.state = stored.state();
        }
    }

    /** Fires what is due: claims due proposals (skipping those another replica holds) and advances them. */
    public Uni<Integer> fireDue(int limit) {
        Instant now = clock.instant();
        return SessionSql.inTransaction(() -> repository.claimDue(now, limit).flatMap(due -> repository.policy()
                        .flatMap(policy -> sequentially(due, d -> repository.lock(d.proposalId()).flatMap(stored ->
                                persist(stored, ConsensusDecider.advance(stored.state(), policy, now), policy, SYSTEM))))
                        .replaceWith(due)))
                .invoke(fired -> {
                    Instant committed = clock.instant();
                    fired.forEach(d -> lateness.record(Duration.between(d.deadline(), committed)));
                })
                .map(List::size);
    }

    /** The Czar's decision, in a transaction of its own. */
    public Uni<ConsensusDecider.Outcome> decide(String id, Stage to, String czar, boolean override, String rationale) {
        return SessionSql.inTransaction(() -> repository.lock(id).flatMap(stored -> repository.policy().flatMap(policy -> {
            ConsensusDecider.Outcome outcome = ConsensusDecider.decide(stored.state(), policy, clock.instant(), to, czar,
                    override, rationale);
            return persist(stored, outcome, policy, czar).replaceWith(outcome);
        })));
    }

    /** The answer now, without changing anything; null when the proposal is unknown. */
    public Uni<Eligibility.Answer> eligibility(String id) {
        return repository.find(id).flatMap(state -> repository.policy().map(policy ->
                state == null || state.owner() == null ? null : Eligibility.evaluate(state, policy, clock.instant())));
    }

    private Uni<Void> persist(ConsensusRepository.Stored stored, ConsensusDecider.Outcome outcome, Policy policy,
            String actor) {
        return persist(stored, outcome.state(), outcome.events(), policy, actor);
    }

    /** Appends {@code events} (with their outbox rows) and writes {@code state} over {@code stored}. */
    private Uni<Void> persist(ConsensusRepository.Stored stored, ProposalState state, List<LifecycleEvent> events,
            Policy policy, String actor) {
        Instant now = clock.instant();
        Eligibility.Answer answer = state.owner() == null ? null : Eligibility.evaluate(state, policy, now);
        Uni<Long> version = events.isEmpty()
                ? Uni.createFrom().item(stored.emittedVersion())
                : store.append(state.proposalId(), stored.emittedVersion(), actor, events)
                        .map(appended -> appended.get(appended.size() - 1).sequence());
        return version.flatMap(v -> repository.save(state, v,
                state.owner() == null ? null : ConsensusDecider.wakeAt(state, answer, now),
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
