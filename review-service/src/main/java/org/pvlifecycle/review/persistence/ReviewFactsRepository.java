package org.pvlifecycle.review.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.review.domain.ProposalFacts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the facts a review decision needs; records them as the handlers learn them. The reads
 * come before every review command and are plain statements: a Hibernate session opened for each
 * of them cost the command path more than the statements did. The proposals' writers are plain
 * statements too (see below); the policy's and the lapses' keep their entities.
 */
@ApplicationScoped
public class ReviewFactsRepository {

    private static final String FACTS = """
            select p.owner, p.stage, p.components, p.window_stage, p.window_ends_at,
                   r.response_window, r.late_objections_block""";
    private static final String OF_THE_PROPOSAL = """
            from known_proposals p left join review_policy r on r.id = $2
            where p.proposal_id = $1""";

    /** A proposal's facts (null while its submission has not been consumed) and its lapses. */
    public record Known(ProposalFacts facts, Map<String, Instant> lapses) {
    }

    /**
     * What a review command is decided on: the facts and the lapses, in one statement, as every
     * command reads both before it folds.
     */
    public Uni<Known> known(String proposalId) {
        return SessionSql.select(FACTS + """
                        ,
                               (select array_agg(l.objection_id order by l.objection_id) from objection_lapses l
                                where l.proposal_id = p.proposal_id),
                               (select array_agg(l.lapsed_at order by l.objection_id) from objection_lapses l
                                where l.proposal_id = p.proposal_id)
                        """ + OF_THE_PROPOSAL, proposalId, ReviewPolicy.SINGLETON)
                .map(rows -> {
                    if (rows.isEmpty()) {
                        return new Known(null, Map.of());
                    }
                    Object[] row = rows.get(0);
                    Map<String, Instant> lapses = new HashMap<>();
                    if (row[7] != null) {
                        Object[] ids = (Object[]) row[7];
                        Object[] times = (Object[]) row[8];
                        for (int i = 0; i < ids.length; i++) {
                            lapses.put((String) ids[i], SqlTimes.instant(times[i]));
                        }
                    }
                    return new Known(facts(row), lapses);
                });
    }

    private static ProposalFacts facts(Object[] row) {
        Stage stage = Stage.valueOf((String) row[1]);
        boolean windowOfThisStage = row[3] != null && Stage.valueOf((String) row[3]) == stage;
        return new ProposalFacts((String) row[0], stage, List.of(((String) row[2]).split(",")),
                windowOfThisStage && row[4] != null ? SqlTimes.instant(row[4]) : null,
                row[5] == null ? ProposalFacts.DEFAULT_RESPONSE_WINDOW : Duration.parse((String) row[5]),
                Boolean.TRUE.equals(row[6]));
    }

    public Uni<Boolean> lateObjectionsBlock() {
        return SessionSql.select("select late_objections_block from review_policy where id = $1", ReviewPolicy.SINGLETON)
                .map(rows -> !rows.isEmpty() && Boolean.TRUE.equals(rows.get(0)[0]));
    }

    /** The lapsed objections of a proposal, by id, with when they lapsed. */
    public Uni<Map<String, Instant>> lapses(String proposalId) {
        return SessionSql.select("select objection_id, lapsed_at from objection_lapses where proposal_id = $1", proposalId)
                .map(rows -> {
                    Map<String, Instant> lapses = new HashMap<>();
                    rows.forEach(row -> lapses.put((String) row[0], SqlTimes.instant(row[1])));
                    return lapses;
                });
    }

    // The writers below run inside a consumer's transaction, with its inbox row.

    // A proposal's row is written by two consumers at once: its stage from the proposal events,
    // its review window from the consensus events. Each statement sets only its own columns, so
    // the row lock orders them and neither writes back a value the other has just changed (a
    // whole-entity update did: a window recorded while the stage advanced kept the old stage, and
    // the next ack was given in the stage before). A statement that would write what the row
    // already holds writes nothing: most eligibility changes announce the window already known.

    public Uni<Void> submitted(String proposalId, String owner, List<String> components) {
        return SessionSql.update("""
                        insert into known_proposals (proposal_id, owner, stage, components) values ($1, $2, $3, $4)
                        on conflict (proposal_id) do nothing""",
                proposalId, owner, Stage.DESIGN.name(), String.join(",", components)).replaceWithVoid();
    }

    public Uni<Void> stage(String proposalId, Stage stage) {
        return SessionSql.update("update known_proposals set stage = $2 where proposal_id = $1 and stage <> $2",
                        proposalId, stage.name())
                .replaceWithVoid();
    }

    public Uni<Void> window(String proposalId, Stage stage, Instant windowEndsAt) {
        return SessionSql.update("""
                        update known_proposals set window_stage = $2, window_ends_at = $3 where proposal_id = $1
                            and (window_stage is distinct from $2 or window_ends_at is distinct from $3)""",
                proposalId, stage.name(), windowEndsAt == null ? null : windowEndsAt.atOffset(ZoneOffset.UTC))
                .replaceWithVoid();
    }

    /**
     * A review of {@code stage} was requested at {@code at}: a window of the stage known to have
     * ended by then was the previous one, and is forgotten until consensus announces the new one's
     * end. Until then an objection is on time; without this, one raised in the moment between the
     * request and consensus' announcement was marked late against the previous window. A window
     * ending after the request is the new one (consensus' topic was read first, or this is a
     * redelivered request), and stays.
     */
    public Uni<Void> reviewRequested(String proposalId, Stage stage, Instant at) {
        return SessionSql.update("""
                        update known_proposals set window_ends_at = null
                        where proposal_id = $1 and window_stage = $2 and window_ends_at <= $3""",
                proposalId, stage.name(), at.atOffset(ZoneOffset.UTC)).replaceWithVoid();
    }

    public Uni<Void> policy(long version, PolicyChanged policy) {
        return ReviewPolicy.<ReviewPolicy>findById(ReviewPolicy.SINGLETON).flatMap(existing -> {
            if (existing != null && existing.version >= version) {
                return Uni.createFrom().voidItem();
            }
            ReviewPolicy row = existing != null ? existing : new ReviewPolicy();
            row.id = ReviewPolicy.SINGLETON;
            row.version = version;
            row.responseWindow = policy.responseWindow().toString();
            row.lateObjectionsBlock = policy.lateObjectionsBlock();
            return row.persist().replaceWithVoid();
        });
    }

    public Uni<Void> lapsed(String proposalId, String objectionId, Instant at) {
        return ObjectionLapse.<ObjectionLapse>findById(objectionId).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            ObjectionLapse lapse = new ObjectionLapse();
            lapse.objectionId = objectionId;
            lapse.proposalId = proposalId;
            lapse.lapsedAt = at;
            return lapse.persist().replaceWithVoid();
        });
    }

}
