package org.pvlifecycle.notification.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.eventstore.SqlValues;
import org.pvlifecycle.notification.domain.Audience;
import org.pvlifecycle.notification.domain.Concern;

import java.time.Instant;
import java.time.ZoneOffset;
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
     * Serializes the planning of one proposal's events, which arrive on four topics and are planned
     * in concurrent transactions: without it, an objection planned while the proposal's submission
     * commits could park its notice for an owner the submission had just made known, and the notice
     * would wait for good. Held until the transaction ends.
     */
    public Uni<Void> lockProposal(String proposalId) {
        return session().flatMap(s -> s.createNativeQuery(
                        "select 1 from (select pg_advisory_xact_lock(hashtextextended('notification-planner:' || :p, 0))) l",
                        Integer.class)
                .setParameter("p", proposalId).getSingleResult()).replaceWithVoid();
    }

    /**
     * Takes {@link #lockProposal}'s lock on each of these proposals, in the order of the locks'
     * keys: a batch of events takes all of them before it plans any, so two topics' batches never
     * each hold a proposal the other waits for. Each event's own lock then finds it held already.
     */
    public Uni<Void> lockProposals(List<String> proposalIds) {
        if (proposalIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return session().flatMap(s -> {
            var hold = s.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(k) from "
                    + "(select distinct hashtextextended('notification-planner:' || p, 0) as k from "
                    + SqlValues.rows("ids", "p", "text", proposalIds.size()) + " order by k) as sorted) as held", Long.class);
            for (int i = 0; i < proposalIds.size(); i++) {
                hold.setParameter(SqlValues.parameter(i), proposalIds.get(i));
            }
            return hold.getSingleResult();
        }).replaceWithVoid();
    }

    public Uni<Concern.Memory> memory(String proposalId) {
        return session().flatMap(s -> s.createNativeQuery(
                        "select window_ends_at, eligible from proposal_facts where proposal_id = :p", Object[].class)
                .setParameter("p", proposalId).getResultList())
                .map(rows -> rows.isEmpty() ? Concern.Memory.NONE : new Concern.Memory(
                        rows.get(0)[0] == null ? null : SqlTimes.instant(rows.get(0)[0]), (Boolean) rows.get(0)[1]));
    }

    /** Keeps the proposal's eligibility as of the event with this sequence, unless a newer one is kept. */
    public Uni<Void> rememberEligibility(String proposalId, Concern.Memory memory, long sequence) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into proposal_facts (proposal_id, window_ends_at, eligible, memory_sequence)
                        values (:p, :w, :e, :seq)
                        on conflict (proposal_id) do update set window_ends_at = excluded.window_ends_at,
                                                                eligible = excluded.eligible,
                                                                memory_sequence = excluded.memory_sequence
                        where proposal_facts.memory_sequence <= excluded.memory_sequence""")
                .setParameter("p", proposalId)
                .setParameter("w", memory.windowEndsAt() == null ? null : memory.windowEndsAt().atOffset(ZoneOffset.UTC))
                .setParameter("e", memory.eligible()).setParameter("seq", sequence).executeUpdate()).replaceWithVoid();
    }

    /** Records the proposal's owner, and addresses the notices that were waiting to know it. */
    public Uni<Void> rememberOwner(String proposalId, String owner) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into proposal_facts (proposal_id, owner) values (:p, :o)
                        on conflict (proposal_id) do update set owner = excluded.owner""")
                .setParameter("p", proposalId).setParameter("o", owner).executeUpdate())
                .flatMap(n -> addressWaiting("proposal_id = :key and audience = 'OWNER'", proposalId, owner));
    }

    /** Records an objection's author (a reviewer of the proposal from now on) and addresses what waited for it. */
    public Uni<Void> rememberObjectionAuthor(String proposalId, String objectionId, String author) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into objection_authors (objection_id, proposal_id, author) values (:o, :p, :a)
                        on conflict (objection_id) do nothing""")
                .setParameter("o", objectionId).setParameter("p", proposalId).setParameter("a", author).executeUpdate())
                .flatMap(n -> rememberReviewer(proposalId, author))
                .flatMap(v -> addressWaiting("objection_id = :key and audience = 'OBJECTION_AUTHOR'", objectionId, author));
    }

    public Uni<Void> rememberReviewer(String proposalId, String reviewer) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into proposal_reviewers (proposal_id, reviewer) values (:p, :r)
                        on conflict do nothing""")
                .setParameter("p", proposalId).setParameter("r", reviewer).executeUpdate()).replaceWithVoid();
    }

    /**
     * Plans the notice for the notice subscriptions of the people it concerns (never the one who
     * caused the event). A notice for an owner or an objection author not known yet waits. The
     * mailing list gets every notice, whoever it concerns.
     */
    public Uni<Void> plan(PlannedNotice n, Instant now) {
        Uni<Integer> planned = switch (n.audience()) {
            case OWNER -> person("select owner from proposal_facts where proposal_id = :key", n.proposalId())
                    .flatMap(owner -> owner == null ? wait(n) : insert(n, "s.owner = :person", owner, now));
            case OBJECTION_AUTHOR -> person("select author from objection_authors where objection_id = :key",
                    n.objectionId())
                    .flatMap(author -> author == null ? wait(n) : insert(n, "s.owner = :person", author, now));
            case REVIEWERS -> insert(n, "s.owner in (select reviewer from proposal_reviewers where proposal_id = :person)",
                    n.proposalId(), now);
            case CZAR -> insert(n, "s.czar", null, now);
        };
        return planned.flatMap(count -> lists.planNotice(n.eventId(), n.eventType(), n.proposalId(), n.notice(),
                n.objectionId(), n.sendAt(), n.listBody(), now));
    }

    /** Cancels the reminder still waiting for an objection whose author no longer has to respond. */
    public Uni<Void> cancelReminders(String objectionId, Instant now) {
        return session().flatMap(s -> s.createNativeQuery("""
                        update deliveries set status = 'CANCELLED', next_attempt_at = null, finished_at = :now
                        where objection_id = :o and notice = 'RESPONSE_DUE_SOON' and status = 'PENDING' and attempts = 0""")
                .setParameter("o", objectionId).setParameter("now", now.atOffset(ZoneOffset.UTC)).executeUpdate()
                .flatMap(n -> s.createNativeQuery(
                                "delete from unaddressed_notices where objection_id = :o and notice = 'RESPONSE_DUE_SOON'")
                        .setParameter("o", objectionId).executeUpdate()))
                .replaceWithVoid();
    }

    /** {@code audienceClause} narrows the subscriptions to the people concerned; it may use {@code :person}. */
    private Uni<Integer> insert(PlannedNotice n, String audienceClause, String person, Instant now) {
        return session().flatMap(s -> {
            var query = s.createNativeQuery("""
                            insert into deliveries (id, subscription_id, owner, event_id, event_type, proposal_id, body,
                                                    status, attempts, next_attempt_at, created_at, notice, objection_id)
                            select gen_random_uuid()::text, s.id, s.owner, :event, :type, :proposal,
                                   case when s.channel = 'EMAIL' then :email else :webhook end,
                                   'PENDING', 0, :sendAt, :now, :notice, :objection
                            from subscriptions s
                            where ',' || s.types || ',' like '%,notices,%'
                              and (s.proposal is null or s.proposal = :proposal)
                              and s.owner <> :actor
                              and s.channel <> 'LIST'
                              and\s""" + audienceClause + """

                            on conflict (subscription_id, event_id, notice) do nothing""")
                    .setParameter("event", n.eventId()).setParameter("type", n.eventType())
                    .setParameter("proposal", n.proposalId()).setParameter("email", n.emailBody())
                    .setParameter("webhook", n.webhookBody()).setParameter("sendAt", n.sendAt().atOffset(ZoneOffset.UTC))
                    .setParameter("now", now.atOffset(ZoneOffset.UTC)).setParameter("notice", n.notice())
                    .setParameter("objection", n.objectionId()).setParameter("actor", n.actor());
            if (person != null) {
                query.setParameter("person", person);
            }
            return query.executeUpdate();
        });
    }

    private Uni<Integer> wait(PlannedNotice n) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into unaddressed_notices (event_id, notice, proposal_id, audience, objection_id, event_type,
                                                         actor, send_at, webhook_body, email_body)
                        values (:event, :notice, :proposal, :audience, :objection, :type, :actor, :sendAt, :webhook, :email)
                        on conflict (event_id, notice) do nothing""")
                .setParameter("event", n.eventId()).setParameter("notice", n.notice())
                .setParameter("proposal", n.proposalId()).setParameter("audience", n.audience().name())
                .setParameter("objection", n.objectionId()).setParameter("type", n.eventType())
                .setParameter("actor", n.actor()).setParameter("sendAt", n.sendAt().atOffset(ZoneOffset.UTC))
                .setParameter("webhook", n.webhookBody()).setParameter("email", n.emailBody())
                .executeUpdate());
    }

    private Uni<Void> addressWaiting(String where, String key, String person) {
        return session().flatMap(s -> s.createNativeQuery("""
                        select event_id, event_type, proposal_id, actor, notice, audience, objection_id, send_at,
                               webhook_body, email_body
                        from unaddressed_notices where\s""" + where, Object[].class)
                .setParameter("key", key).getResultList()
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        PlannedNotice n = new PlannedNotice((UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                                (String) r[4], Audience.valueOf((String) r[5]), (String) r[6], SqlTimes.instant(r[7]),
                                (String) r[8], (String) r[9], null);
                        chain = chain.flatMap(v -> insert(n, "s.owner = :person", person, n.sendAt()).replaceWithVoid());
                    }
                    return chain;
                })
                .flatMap(v -> s.createNativeQuery("delete from unaddressed_notices where " + where)
                        .setParameter("key", key).executeUpdate()))
                .replaceWithVoid();
    }

    private Uni<String> person(String sql, String key) {
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        return session().flatMap(s -> s.createNativeQuery(sql, String.class).setParameter("key", key).getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }
}
