package org.pvlifecycle.proposal;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.eventstore.ConcurrencyConflict;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.proposal.domain.Proposal;
import org.pvlifecycle.proposal.domain.ProposalCommand;
import org.pvlifecycle.proposal.domain.ProposalDecider;
import org.pvlifecycle.proposal.domain.ProposalEvolution;
import org.pvlifecycle.proposal.domain.Refusal;

/**
 * The path of one command: fold the proposal, decide, append the events and their outbox rows in
 * one transaction. Counts every command by outcome for {@code /q/metrics}.
 */
@ApplicationScoped
public class ProposalCommands {
    /** Deciding again on fresh state is safe for every proposal command: the rules are re-checked. */
    static final int ATTEMPTS = 10;

    @Inject
    EventStore store;

    @Inject
    MeterRegistry registry;

    public Uni<EventStore.Decided<Proposal>> execute(String proposalId, ProposalCommand command) {
        String name = command.getClass().getSimpleName();
        return store.decideAndAppend(proposalId, Proposal.NONE, ProposalEvolution::apply,
                        state -> ProposalDecider.decide(command, state), command.actor(), ATTEMPTS)
                .invoke(decided -> count(name, "accepted", "none"))
                .onFailure(Refusal.class).invoke(r -> count(name, "refused", ((Refusal) r).reason().name()))
                .onFailure(ConcurrencyConflict.class).invoke(() -> count(name, "refused", "CONCURRENT_CHANGE"));
    }

    public EventStore store() {
        return store;
    }

    public Uni<EventStore.Folded<Proposal>> load(String proposalId) {
        return store.fold(proposalId, Proposal.NONE, ProposalEvolution::apply);
    }

    private void count(String command, String outcome, String reason) {
        registry.counter("pvl.commands", "command", command, "outcome", outcome, "reason", reason).increment();
    }
}
