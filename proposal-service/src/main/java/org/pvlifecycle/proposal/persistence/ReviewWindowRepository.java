package org.pvlifecycle.proposal.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.eventstore.SessionSql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The review window of each proposal's current stage, as the consensus service last announced it
 * (eligibility-changed): one row per proposal, written with one statement. It was this service's
 * one Hibernate entity; a find and a flush per announcement cost a consumed event more CPU than
 * all its statements did.
 */
@ApplicationScoped
public class ReviewWindowRepository {

    /** The announced end of the window of {@code stage}, or null when none was announced for it. */
    public Uni<Instant> windowEnd(String proposalId, Stage stage) {
        return SessionSql.select("select window_ends_at from review_windows where proposal_id = $1 and stage = $2",
                        proposalId, stage.name())
                .map(rows -> rows.isEmpty() || rows.get(0)[0] == null ? null
                        : ((OffsetDateTime) rows.get(0)[0]).toInstant());
    }

    /**
     * Records an announcement, over the one before; in the consumer's transaction. Most
     * eligibility changes announce the window already recorded: that row is left as it is (no new
     * row version, no index entries; PostgreSQL still locks the row it conflicts with), and its
     * {@code announced_at} stays the time the window was first announced.
     */
    public Uni<Void> record(String proposalId, Stage stage, Instant windowEndsAt, Instant announcedAt) {
        return SessionSql.update("""
                        insert into review_windows (proposal_id, stage, window_ends_at, announced_at)
                        values ($1, $2, $3, $4)
                        on conflict (proposal_id) do update set stage = excluded.stage,
                            window_ends_at = excluded.window_ends_at, announced_at = excluded.announced_at
                        where review_windows.stage is distinct from excluded.stage
                            or review_windows.window_ends_at is distinct from excluded.window_ends_at""",
                proposalId, stage.name(), windowEndsAt == null ? null : windowEndsAt.atOffset(ZoneOffset.UTC),
                announcedAt.atOffset(ZoneOffset.UTC)).replaceWithVoid();
    }
}
