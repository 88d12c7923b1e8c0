package org.pvlifecycle.consensus.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.consensus.domain.Policy;
import org.pvlifecycle.consensus.domain.ProposalState;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.events.PolicyChanged;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The consensus service's own tables, through SQL: row locks ({@code FOR UPDATE}, {@code SKIP
 * LOCKED}) are the point. Every method runs inside the caller's transaction.
 */
@ApplicationScoped
public class ConsensusRepository {
    private static final int POLICY_ROW = 1;

    /** A proposal's state and the version of the consensus events written for it. */
    public record Stored(ProposalState state, long emittedVersion) {
    }

    /** Locks and reads a proposal's row; null state when there is none yet. */
    public Uni<Stored> lock(String proposalId) {
        return SessionSql.select("select state, emitted_version from proposal_states where proposal_id = $1 for update",
                        proposalId)
                .map(rows -> rows.isEmpty() ? new Stored(null, 0)
                        : new Stored(parse((String) rows.get(0)[0]), ((Number) rows.get(0)[1]).longValue()));
    }

    /**
     * Locks and reads the rows of these proposals that exist, in the order of their ids, as
     * {@link #lock} would one by one: two transactions that lock through here never wait on each
     * other in a circle. Proposals without a row are absent from the answer. Those are looked for
     * once more, in a statement of their own: the first statement may have waited for another
     * transaction's lock, and a row that transaction inserted is not in that statement's snapshot,
     * but is in the next one's (otherwise this transaction would insert it too, and fail).
     */
    public Uni<Map<String, Stored>> lockAll(List<String> proposalIds) {
        return lockExisting(proposalIds).flatMap(found -> {
            List<String> absent = proposalIds.stream().filter(id -> !found.containsKey(id)).toList();
            // Only a statement that found rows can have waited for a lock.
            if (absent.isEmpty() || found.isEmpty()) {
                return Uni.createFrom().item(found);
            }
            return lockExisting(absent).map(late -> {
                Map<String, Stored> all = new HashMap<>(found);
                all.putAll(late);
                return all;
            });
        });
    }

    private Uni<Map<String, Stored>> lockExisting(List<String> proposalIds) {
        if (proposalIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return SessionSql.select("select proposal_id, state, emitted_version from proposal_states "
                        + "where proposal_id = any($1::text[]) order by proposal_id for update",
                        (Object) proposalIds.toArray(String[]::new))
                .map(rows -> {
                    Map<String, Stored> stored = new HashMap<>();
                    for (Object[] row : rows) {
                        stored.put((String) row[0], new Stored(parse((String) row[1]), ((Number) row[2]).longValue()));
                    }
                    return stored;
                });
    }

    /** Reads without locking, for queries. */
    public Uni<ProposalState> find(String proposalId) {
        return SessionSql.select("select state from proposal_states where proposal_id = $1",
                        proposalId)
                .map(rows -> rows.isEmpty() ? null : parse((String) rows.get(0)[0]));
    }

    /**
     * Writes the proposal's state. {@code firstRow}: {@link #lock} found no row, so there was none to
     * lock, and another transaction (the other topic's consumer) may be writing the first row at
     * the same moment: then a plain insert, so that the later of the two fails on the key and is
     * applied again on top of the other, instead of overwriting it.
     */
    public Uni<Void> save(ProposalState state, long emittedVersion, Instant nextDeadline, boolean eligible,
            boolean overdue, Instant now, boolean firstRow) {
        return SessionSql.update(firstRow ? INSERT_STATE : INSERT_STATE + UPDATE_STATE_ON_CONFLICT,
                state.proposalId(), write(state), nextDeadline == null ? null : nextDeadline.atOffset(ZoneOffset.UTC),
                emittedVersion, state.stage().name(), eligible, overdue, now.atOffset(ZoneOffset.UTC)).replaceWithVoid();
    }

    private static final String INSERT_STATE = """
            insert into proposal_states (proposal_id, state, next_deadline, emitted_version, stage, eligible,
                                         overdue, updated_at)
            values ($1, $2, $3::timestamptz, $4, $5, $6, $7, $8)
            """;
    private static final String UPDATE_STATE_ON_CONFLICT = """
            on conflict (proposal_id) do update set state = excluded.state,
                next_deadline = excluded.next_deadline, emitted_version = excluded.emitted_version,
                stage = excluded.stage, eligible = excluded.eligible, overdue = excluded.overdue,
                updated_at = excluded.updated_at""";

    /** A proposal whose deadline has come, and when it came. */
    public record Due(String proposalId, Instant deadline) {
    }

    /** Claims up to {@code limit} proposals whose deadline is due; rows another replica holds are skipped. */
    public Uni<List<Due>> claimDue(Instant now, int limit) {
        return SessionSql.select("""
                        select proposal_id, next_deadline from proposal_states where next_deadline <= $1
                        order by next_deadline limit $2 for update skip locked""",
                        now.atOffset(ZoneOffset.UTC), (long) limit)
                .map(rows -> rows.stream()
                        .map(row -> new Due((String) row[0], ((OffsetDateTime) row[1]).toInstant()))
                        .toList());
    }

    /** Makes every open proposal due at {@code now}: a policy change re-evaluates them all. */
    public Uni<Integer> allOpenDue(Instant now) {
        return SessionSql.update(
                "update proposal_states set next_deadline = $1 where stage not in ('STABLE', 'WITHDRAWN')",
                now.atOffset(ZoneOffset.UTC));
    }

    /**
     * Proposals per stage, eligible ones without a decision, overdue ones, and the earliest
     * deadline that had fallen due by {@code now} and is still waiting to be fired (null when
     * none): for the gauges.
     */
    public Uni<List<Object[]>> counts(Instant now) {
        return SessionSql.select(
                "select stage, count(*), count(*) filter (where eligible), count(*) filter (where overdue), "
                        + "min(next_deadline) filter (where next_deadline <= $1) "
                        + "from proposal_states group by stage", now.atOffset(ZoneOffset.UTC));
    }

    public Uni<Policy> policy() {
        return SessionSql.select("select document from current_policy where id = $1", POLICY_ROW)
                .map(rows -> rows.isEmpty() ? Policy.defaults() : readPolicy((String) rows.get(0)[0]));
    }

    /** The policy in force, with its row locked so that two changes cannot both be version n + 1. */
    public Uni<Policy> lockPolicy() {
        return SessionSql.update("insert into current_policy (id, version, document) values ($1, 1, $2) "
                                + "on conflict do nothing", POLICY_ROW, EventJson.write(Policy.defaults().toEvent()))
                .flatMap(ignored -> SessionSql.select("select document from current_policy where id = $1 for update",
                        POLICY_ROW))
                .map(rows -> readPolicy((String) rows.get(0)[0]));
    }

    public Uni<Void> savePolicy(Policy policy) {
        return SessionSql.update("update current_policy set version = $1, document = $2 where id = $3",
                policy.version(), EventJson.write(policy.toEvent()), POLICY_ROW).replaceWithVoid();
    }

    private static ProposalState parse(String json) {
        try {
            return EventJson.mapper().readValue(json, ProposalState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable proposal state", e);
        }
    }

    private static String write(ProposalState state) {
        try {
            return EventJson.mapper().writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write proposal state", e);
        }
    }

    /**
     * The policy that {@code json} holds. Every consumed event reads the policy, and reading its
     * document was a quarter of the service's CPU under load, so the last one read is kept with
     * its text: the same text is the same policy.
     */
    private Policy readPolicy(String json) {
        ReadPolicy last = lastRead;
        if (last != null && last.json().equals(json)) {
            return last.policy();
        }
        try {
            Policy policy = Policy.of(EventJson.mapper().readValue(json, PolicyChanged.class));
            lastRead = new ReadPolicy(json, policy);
            return policy;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable policy", e);
        }
    }

    private record ReadPolicy(String json, Policy policy) {
    }

    /** Written and read on event loops of either thread; a stale or missing one costs a parse. */
    private volatile ReadPolicy lastRead;

}
