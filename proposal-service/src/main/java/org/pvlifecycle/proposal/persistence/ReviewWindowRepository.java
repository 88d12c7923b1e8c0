package org.pvlifecycle.proposal.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.events.Stage;

import java.time.Instant;

/** Reads and records the announced review windows. */
@ApplicationScoped
public class ReviewWindowRepository {

    /** The announced end of the window of {@code stage}, or null when none was announced for it. */
    public Uni<Instant> windowEnd(String proposalId, Stage stage) {
        return Panache.withSession(() -> ReviewWindow.<ReviewWindow>findById(proposalId))
                .map(w -> w == null || w.stage != stage ? null : w.windowEndsAt);
    }

    /** Records an announcement; runs inside the caller's transaction. */
    public Uni<Void> record(String proposalId, Stage stage, Instant windowEndsAt, Instant announcedAt) {
        return ReviewWindow.<ReviewWindow>findById(proposalId).flatMap(existing -> {
            ReviewWindow window = existing != null ? existing : new ReviewWindow();
            window.proposalId = proposalId;
            window.stage = stage;
            window.windowEndsAt = windowEndsAt;
            window.announcedAt = announcedAt;
            return window.persist();
        }).replaceWithVoid();
    }
}
