package org.pvlifecycle.proposal;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.eventstore.CommandMetrics;
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
    CommandMetrics metrics;

    public Uni<EventStore.Decided<Proposal>> execute(String proposalId, ProposalCommand command) {
        return metrics.counted(command.getClass().getSimpleName(),
                store.decideAndAppend(proposalId, Proposal.NONE, ProposalEvolution::apply,
                        state -> ProposalDecider.decide(command, state), command.actor(), ATTEMPTS),
                failure -> failure instanceof Refusal r ? r.reason().name() : null);
    }

    public EventStore store() {
        return store;
    }

    public Uni<EventStore.Folded<Proposal>> load(String proposalId) {
        return store.fold(proposalId, Proposal.NONE, ProposalEvolution::apply);
    }

}
