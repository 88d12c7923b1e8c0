package org.pvlifecycle.review;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.eventstore.Decided;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.eventstore.Execution;
import org.pvlifecycle.review.domain.ProposalFacts;
import org.pvlifecycle.review.domain.Review;
import org.pvlifecycle.review.domain.ReviewCommand;
import org.pvlifecycle.review.domain.ReviewDecider;
import org.pvlifecycle.review.domain.ReviewEvolution;
import org.pvlifecycle.review.persistence.ReviewFactsRepository;

/**
 * The review's commands and reads, with what the review service learnt from other services: the
 * proposal's facts and the announced lapses, read before the command and given to its decider.
 */
@ApplicationScoped
public class ReviewCommands {
    /** Deciding again on fresh state is safe for every review command: the rules are checked again. */
    static final Execution COMMAND = Execution.request(10);

    @Inject
    EventStore store;

    @Inject
    ReviewFactsRepository facts;

    /**
     * What a command decided, with the proposal's facts it was decided on (never null: a command
     * on a proposal this service does not know yet is refused), so that an answer which needs them
     * reads them no second time and cannot see newer ones than its decision did.
     */
    public record Outcome(Decided<Review, LifecycleEvent> decided, ProposalFacts facts) {
    }

    public Uni<Decided<Review, LifecycleEvent>> execute(String proposalId, ReviewCommand command) {
        return executeWithFacts(proposalId, command).map(Outcome::decided);
    }

    public Uni<Outcome> executeWithFacts(String proposalId, ReviewCommand command) {
        return facts.known(proposalId).flatMap(known -> store.execute(
                        ReviewDecider.decider(proposalId, known.facts(), known.lapses()), proposalId, command,
                        command.actor(), COMMAND)
                .map(decided -> new Outcome(decided, known.facts())));
    }

    /** The review of a proposal with the announced lapses applied. */
    public Uni<Review> load(String proposalId) {
        return facts.lapses(proposalId).flatMap(lapses ->
                store.fold(proposalId, Review.empty(proposalId), ReviewEvolution::apply)
                        .map(folded -> ReviewDecider.withLapses(folded.state(), lapses)));
    }
}
