package org.pvlifecycle.review;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.eventstore.CommandMetrics;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.review.domain.Review;
import org.pvlifecycle.review.domain.ReviewCommand;
import org.pvlifecycle.review.domain.ReviewDecider;
import org.pvlifecycle.review.domain.ReviewEvolution;
import org.pvlifecycle.review.domain.ReviewRefusal;
import org.pvlifecycle.review.persistence.ReviewFactsRepository;

/**
 * The path of one review command: what is known of the proposal and its lapses, the review folded
 * from its events, the decision, the append with the outbox rows. Counted for {@code /q/metrics}.
 */
@ApplicationScoped
public class ReviewCommands {
    static final int ATTEMPTS = 10;

    @Inject
    EventStore store;

    @Inject
    ReviewFactsRepository facts;

    @Inject
    CommandMetrics metrics;

    public Uni<EventStore.Decided<Review>> execute(String proposalId, ReviewCommand command) {
        return metrics.counted(command.getClass().getSimpleName(),
                facts.facts(proposalId).flatMap(known -> facts.lapses(proposalId).flatMap(lapses ->
                        store.decideAndAppend(proposalId, Review.empty(proposalId), ReviewEvolution::apply,
                                review -> ReviewDecider.decide(command, ReviewDecider.withLapses(review, lapses), known),
                                command.actor(), ATTEMPTS))),
                failure -> failure instanceof ReviewRefusal r ? r.reason().name() : null);
    }

    /** The review of a proposal with the announced lapses applied. */
    public Uni<Review> load(String proposalId) {
        return facts.lapses(proposalId).flatMap(lapses ->
                store.fold(proposalId, Review.empty(proposalId), ReviewEvolution::apply)
                        .map(folded -> ReviewDecider.withLapses(folded.state(), lapses)));
    }

}
