package org.pvlifecycle.consensus.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.pvlifecycle.consensus.domain.Policy;
import org.pvlifecycle.consensus.domain.ProposalState;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.PolicyChanged;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

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
        return session().flatMap(s -> s.createNativeQuery(
                        "select state, emitted_version from proposal_states where proposal_id = :id for update", Object[].class)
                .setParameter("id", proposalId)
                .getResultList()
                .map(rows -> rows.isEmpty() ? new Stored(null, 0)
                        : new Stored(parse((String) rows.get(0)[0]), ((Number) rows.get(0)[1]).longValue())));
    }

    /**
     * Locks the rows of these proposals that exist, in the order of their ids, as {@link #lock}
     * would one by one: two transactions that lock through here never wait on each other in a
     * circle.
     */
    public Uni<Void> lockAll(List<String> proposalIds) {
        if (proposalIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return session().flatMap(s -> s.createNativeQuery(
                        "select proposal_id from proposal_states where proposal_id in (:ids) order by proposal_id for update",
                        String.class)
                .setParameter("ids", proposalIds)
                .getResultList())
                .replaceWithVoid();
    }

    /** Reads without locking, for queries. */
    public Uni<ProposalState> find(String proposalId) {
        return Panache.withSession(() -> session().flatMap(s -> s.createNativeQuery(
                        "select state from proposal_states where proposal_id = :id", String.class)
                .setParameter("id", proposalId)
                .getResultList()
                .map(rows -> rows.isEmpty() ? null : parse(rows.get(0)))));
    }

    /**
     * Writes the proposal's state. {@code firstRow}: {@link #lock} found no row, so there was none to
     * lock, and another transaction (the other topic's consumer) may be writing the first row at
     * the same moment: then a plain insert, so that the later of the two fails on the key and is
     * applied again on top of the other, instead of overwriting it.
     */
    public Uni<Void> save(ProposalState state, long emittedVersion, Instant nextDeadline, boolean eligible,
            boolean overdue, Instant now, boolean firstRow) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into proposal_states (proposal_id, state, next_deadline, emitted_version, stage, eligible,
                                                     overdue, updated_at)
                        values (:id, :state, :next, :version, :stage, :eligible, :overdue, :now)
                        """ + (firstRow ? "" : """
                        on conflict (proposal_id) do update set state = excluded.state,
                            next_deadline = excluded.next_deadline, emitted_version = excluded.emitted_version,
                            stage = excluded.stage, eligible = excluded.eligible, overdue = excluded.overdue,
                            updated_at = excluded.updated_at"""))
                .setParameter("id", state.proposalId())
                .setParameter("state", write(state))
                .setParameter("next", nextDeadline == null ? null : nextDeadline.atOffset(ZoneOffset.UTC))
                .setParameter("version", emittedVersion)
                .setParameter("stage", state.stage().name())
                .setParameter("eligible", eligible)
                .setParameter("overdue", overdue)
                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                .executeUpdate()).replaceWithVoid();
    }

    /** Claims up to {@code limit} proposals whose deadline is due; rows another replica holds are skipped. */
    public Uni<List<String>> claimDue(Instant now, int limit) {
        return session().flatMap(s -> s.createNativeQuery("""
                        select proposal_id from proposal_states where next_deadline <= :now
                        order by next_deadline limit :limit for update skip locked""", String.class)
                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                .setParameter("limit", limit)
                .getResultList());
    }

    /** Makes every open proposal due at {@code now}: a policy change re-evaluates them all. */
    public Uni<Integer> allOpenDue(Instant now) {
        return session().flatMap(s -> s.createNativeQuery(
                        "update proposal_states set next_deadline = :now where stage not in ('STABLE', 'WITHDRAWN')")
                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                .executeUpdate());
    }

    /** Proposals per stage, eligible ones without a decision, overdue ones: for the gauges. */
    public Uni<List<Object[]>> counts() {
        return Panache.withSession(() -> session().flatMap(s -> s.createNativeQuery(
                        "select stage, count(*), count(*) filter (where eligible), count(*) filter (where overdue) "
                                + "from proposal_states group by stage", Object[].class)
                .getResultList()));
    }

    public Uni<Policy> policy() {
        return session().flatMap(s -> s.createNativeQuery("select document from current_policy where id = :id", String.class)
                .setParameter("id", POLICY_ROW)
                .getResultList()
                .map(rows -> rows.isEmpty() ? Policy.defaults() : readPolicy(rows.get(0))));
    }

    /** The policy in force, with its row locked so that two changes cannot both be version n + 1. */
    public Uni<Policy> lockPolicy() {
        return session().flatMap(s -> s.createNativeQuery(
                        "insert into current_policy (id, version, document) values (:id, 1, :doc) on conflict do nothing")
                .setParameter("id", POLICY_ROW)
                .setParameter("doc", EventJson.write(Policy.defaults().toEvent()))
                .executeUpdate()
                .flatMap(ignored -> s.createNativeQuery("select document from current_policy where id = :id for update",
                                String.class)
                        .setParameter("id", POLICY_ROW)
                        .getSingleResult()
                        .map(ConsensusRepository::readPolicy)));
    }

    public Uni<Void> savePolicy(Policy policy) {
        return session().flatMap(s -> s.createNativeQuery(
                        "update current_policy set version = :v, document = :doc where id = :id")
                .setParameter("v", policy.version())
                .setParameter("doc", EventJson.write(policy.toEvent()))
                .setParameter("id", POLICY_ROW)
                .executeUpdate()).replaceWithVoid();
    }

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
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

    private static Policy readPolicy(String json) {
        try {
            return Policy.of(EventJson.mapper().readValue(json, PolicyChanged.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable policy", e);
        }
    }

}
