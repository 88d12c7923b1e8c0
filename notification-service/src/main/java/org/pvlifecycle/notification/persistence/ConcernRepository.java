package org.pvlifecycle.notification.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.notification.domain.Audience;
import org.pvlifecycle.notification.domain.Concern;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * What the events told this service about who is concerned by a proposal, and the planning of
 * notices to the subscriptions of those people. Every method runs in the consumer's inbox
 * transaction.
 */
@ApplicationScoped
public class ConcernRepository {

    /**
     * A notice to plan: the bodies are rendered per channel before they reach the database.
     * {@code listBody} is only needed when it is planned, never kept while a notice waits for its
     * addressee (the list is no addressee: it gets the notice at once).
     */
    public record PlannedNotice(UUID eventId, String eventType, String proposalId, String actor, String notice,
            Audience audience, String objectionId, Instant sendAt, String webhookBody, String emailBody,
            String listBody) {
    }

    @Inject
    ListRepository lists;

    /**
     * Serializes the planning of these proposals' events, which arrive on four topics and are
     * planned in concurrent transactions: without it, an objection planned while the proposal's
     * submission commits could park its notice for an owner the submission had just made known,
     * and the notice would wait for good. Held until the transaction ends, taken in the order of
     * the locks' keys, all of a batch's before it plans any, so two topics' batches never each
     * hold a proposal the other waits for.
     */
    public Uni<Void> lockProposals(List<String> proposalIds) {
        if (proposalIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // One array parameter: (Object) so that the array is that parameter, not the varargs.
        return SessionSql.select("select count(*) from (select pg_advisory_xact_lock(k) from "
                        + "(select distinct hashtextextended('notification-planner:' || p, 0) as k from "
                        + "unnest($1::text[]) as ids (p) order by k) as sorted) as held",
                (Object) proposalIds.toArray(String[]::new)).replaceWithVoid();
    }

    public Uni<Concern.Memory> memory(String proposalId) {
        return SessionSql.select("select window_ends_at, eligible from proposal_facts where proposal_id = $1", proposalId)
                .map(rows -> rows.isEmpty() ? Concern.Memory.NONE : new Concern.Memory(
                        rows.get(0)[0] == null ? null : SqlTimes.instant(rows.get(0)[0]), (Boolean) rows.get(0)[1]));
    }

    /** Keeps the proposal's eligibility as of the event with this sequence, unless a newer one is kept. */
    public Uni<Void> rememberEligibility(String proposalId, Concern.Memory memory, long sequence) {
        return SessionSql.update("""
                        insert into proposal_facts (proposal_id, window_ends_at, eligible, memory_sequence)
                        values ($1, $2, $3, $4)
                        on conflict (proposal_id) do update set window_ends_at = excluded.window_ends_at,
                                                                eligible = excluded.eligible,
                                                                memory_sequence = excluded.memory_sequence
                        where proposal_facts.memory_sequence <= excluded.memory_sequence""",
                proposalId, memory.windowEndsAt() == null ? null : memory.windowEndsAt().atOffset(ZoneOffset.UTC),
                memory.eligible(), sequence).replaceWithVoid();
    }

    /** Records the proposal's owner, and addresses the notices that were waiting to know it. */
    public Uni<Void> rememberOwner(String proposalId, String owner) {
        return SessionSql.update("""
                        insert into proposal_facts (proposal_id, owner) values ($1, $2)
                        on conflict (proposal_id) do update set owner = excluded.owner""", proposalId, owner)
                .flatMap(n -> addressWaiting(WAITING_FOR_OWNER, proposalId, owner));
    }

    /** Records an objection's author (a reviewer of the proposal from now on) and addresses what waited for it. */
    public Uni<Void> rememberObjectionAuthor(String proposalId, String objectionId, String author) {
        return SessionSql.update("""
                        insert into objection_authors (objection_id, proposal_id, author) values ($1, $2, $3)
                        on conflict (objection_id) do nothing""", objectionId, proposalId, author)
                .flatMap(n -> rememberReviewer(proposalId, author))
                .flatMap(v -> addressWaiting(WAITING_FOR_OBJECTION_AUTHOR, objectionId, author));
    }

    public Uni<Void> rememberReviewer(String proposalId, String reviewer) {
        return SessionSql.update("""
                        insert into proposal_reviewers (proposal_id, reviewer) values ($1, $2)
                        on conflict do nothing""", proposalId, reviewer).replaceWithVoid();
    }

    /**
     * Plans the notice for the notice subscriptions of the people it concerns (never the one who
     * caused the event). A notice for an owner or an objection author not known yet waits. The
     * mailing list gets every notice, whoever it concerns.
     */
    public Uni<Void> plan(PlannedNotice n, Instant now) {
        Uni<Integer> planned = switch (n.audience()) {
            case OWNER -> person("select owner from proposal_facts where proposal_id = $1", n.proposalId())
                    .flatMap(owner -> owner == null ? wait(n) : insert(n, TO_PERSON, owner, now));
            case OBJECTION_AUTHOR -> person("select author from objection_authors where objection_id = $1",
                    n.objectionId())
                    .flatMap(author -> author == null ? wait(n) : insert(n, TO_PERSON, author, now));
            case REVIEWERS -> insert(n, TO_REVIEWERS_OF, n.proposalId(), now);
            case CZAR -> insert(n, TO_CZAR, null, now);
        };
        return planned.flatMap(count -> lists.planNotice(n.eventId(), n.eventType(), n.proposalId(), n.notice(),
                n.objectionId(), n.sendAt(), n.listBody(), now));
    }

    /** Cancels the reminder still waiting for an objection whose author no longer has to respond. */
    public Uni<Void> cancelReminders(String objectionId, Instant now) {
        return SessionSql.update("""
                        update deliveries set status = 'CANCELLED', next_attempt_at = null, finished_at = $2
                        where objection_id = $1 and notice = 'RESPONSE_DUE_SOON' and status = 'PENDING' and attempts = 0""",
                        objectionId, now.atOffset(ZoneOffset.UTC))
                .flatMap(n -> SessionSql.update(
                        "delete from unaddressed_notices where objection_id = $1 and notice = 'RESPONSE_DUE_SOON'",
                        objectionId))
                .replaceWithVoid();
    }

    /*
     * The audience clauses of insert: they narrow the subscriptions to the people concerned, the
     * person (or, for the reviewers, the proposal) being parameter $11; the czar's takes none.
     */
    private static final String TO_PERSON = "s.owner = $11";
    private static final String TO_REVIEWERS_OF =
            "s.owner in (select reviewer from proposal_reviewers where proposal_id = $11)";
    private static final String TO_CZAR = "s.czar";

    /** The notices waiting for their addressee, by the key (parameter $1) that names it. */
    private static final String WAITING_FOR_OWNER = "proposal_id = $1 and audience = 'OWNER'";
    private static final String WAITING_FOR_OBJECTION_AUTHOR = "objection_id = $1 and audience = 'OBJECTION_AUTHOR'";

    /** {@code audienceClause} is one of the clauses above; {@code person} is its $11 (unused by the czar's). */
    private Uni<Integer> insert(PlannedNotice n, String audienceClause, String person, Instant now) {
        String sql = """
                insert into deliveries (id, subscription_id, owner, event_id, event_type, proposal_id, body,
                                        status, attempts, next_attempt_at, created_at, notice, objection_id)
                select gen_random_uuid()::text, s.id, s.owner, $1, $2, $3,
                       case when s.channel = 'EMAIL' then $4::text else $5::text end,
                       'PENDING', 0, $6, $7, $8, $9
                from subscriptions s
                where ',' || s.types || ',' like '%,notices,%'
                  and (s.proposal is null or s.proposal = $3)
                  and s.owner <> $10
                  and s.channel <> 'LIST'
                  and\s""" + audienceClause + """

                on conflict (subscription_id, event_id, notice) do nothing""";
        Object[] parameters = {n.eventId(), n.eventType(), n.proposalId(), n.emailBody(), n.webhookBody(),
                n.sendAt().atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC), n.notice(), n.objectionId(),
                n.actor()};
        if (!TO_CZAR.equals(audienceClause)) {
            parameters = Arrays.copyOf(parameters, 11);
            parameters[10] = person;
        }
        return SessionSql.update(sql, parameters);
    }

    private Uni<Integer> wait(PlannedNotice n) {
        return SessionSql.update("""
                        insert into unaddressed_notices (event_id, notice, proposal_id, audience, objection_id, event_type,
                                                         actor, send_at, webhook_body, email_body)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        on conflict (event_id, notice) do nothing""",
                n.eventId(), n.notice(), n.proposalId(), n.audience().name(), n.objectionId(), n.eventType(),
                n.actor(), n.sendAt().atOffset(ZoneOffset.UTC), n.webhookBody(), n.emailBody());
    }

    private Uni<Void> addressWaiting(String where, String key, String person) {
        return SessionSql.select("""
                        select event_id, event_type, proposal_id, actor, notice, audience, objection_id, send_at,
                               webhook_body, email_body
                        from unaddressed_notices where\s""" + where, key)
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        PlannedNotice n = new PlannedNotice((UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                                (String) r[4], Audience.valueOf((String) r[5]), (String) r[6], SqlTimes.instant(r[7]),
                                (String) r[8], (String) r[9], null);
                        chain = chain.flatMap(v -> insert(n, TO_PERSON, person, n.sendAt()).replaceWithVoid());
                    }
                    return chain;
                })
                .flatMap(v -> SessionSql.update("delete from unaddressed_notices where " + where, key))
                .replaceWithVoid();
    }

    private Uni<String> person(String sql, String key) {
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        return SessionSql.select(sql, key).map(rows -> rows.isEmpty() ? null : (String) rows.get(0)[0]);
    }
}
