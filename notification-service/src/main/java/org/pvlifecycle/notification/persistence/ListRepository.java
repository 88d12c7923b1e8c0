package org.pvlifecycle.notification.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.notification.domain.ListThread;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The LIST channel's threads: what a proposal's messages need (title, root, standing), the planning
 * of its notices as deliveries, and the claim that gathers a proposal's pending notices into one
 * message. The notices stay rows of {@code deliveries}; only the claim differs from the other
 * channels, because a message carries several of them.
 */
@ApplicationScoped
public class ListRepository {

    /**
     * A proposal's notices claimed for one message: the thread's state as of the claim and the
     * deliveries the message carries (each is recorded as an attempt of its own).
     */
    public record Batch(String proposalId, String title, String rootMessageId, String standing,
            List<NotificationRepository.Claimed> members) {
    }

    /**
     * Plans a notice for every LIST subscription that asked for notices (about this proposal or all):
     * the list is everyone, so it gets each notice whoever it is addressed to.
     */
    public Uni<Void> planNotice(UUID eventId, String eventType, String proposalId, String notice, String objectionId,
            Instant sendAt, String body, Instant now) {
        return insert("',' || s.types || ',' like '%,notices,%'", eventId, eventType, proposalId, notice, objectionId,
                sendAt, body, now);
    }

    /** Plans the event for every LIST subscription that asked for its type (or {@code *}). */
    public Uni<Void> planEvent(UUID eventId, String eventType, String proposalId, String body, Instant now) {
        return insert("(',' || s.types || ',' like '%,' || :type || ',%' or ',' || s.types || ',' like '%,*,%')",
                eventId, eventType, proposalId, "", null, now, body, now);
    }

    /** The thread's row is made with its first delivery, so that a claim has a row to lock. */
    private Uni<Void> insert(String typeClause, UUID eventId, String eventType, String proposalId, String notice,
            String objectionId, Instant sendAt, String body, Instant now) {
        return session().flatMap(s -> s.createNativeQuery("""
                        with planned as (
                            insert into deliveries (id, subscription_id, owner, event_id, event_type, proposal_id, body,
                                                    status, attempts, next_attempt_at, created_at, notice, objection_id)
                            select gen_random_uuid()::text, s.id, s.owner, :event, :type, :proposal, :body,
                                   'PENDING', 0, :sendAt, :now, :notice, :objection
                            from subscriptions s
                            where s.channel = 'LIST'
                              and (s.proposal is null or s.proposal = :proposal)
                              and\s""" + typeClause + """

                            on conflict (subscription_id, event_id, notice) do nothing
                            returning proposal_id)
                        insert into list_threads (proposal_id) select distinct proposal_id from planned
                        on conflict (proposal_id) do nothing""")
                .setParameter("event", eventId).setParameter("type", eventType).setParameter("proposal", proposalId)
                .setParameter("body", body).setParameter("sendAt", sendAt.atOffset(ZoneOffset.UTC))
                .setParameter("now", now.atOffset(ZoneOffset.UTC)).setParameter("notice", notice)
                .setParameter("objection", objectionId).executeUpdate()).replaceWithVoid();
    }

    public Uni<Void> rememberTitle(String proposalId, String title) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into list_threads (proposal_id, title) values (:p, :t)
                        on conflict (proposal_id) do update set title = excluded.title""")
                .setParameter("p", proposalId).setParameter("t", title).executeUpdate()).replaceWithVoid();
    }

    /** Keeps the first root learnt: a thread that has one stays that thread. */
    public Uni<Void> rememberRoot(String proposalId, String messageId) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into list_threads (proposal_id, root_message_id, root_source) values (:p, :m, 'MAIL')
                        on conflict (proposal_id) do update set root_message_id = excluded.root_message_id,
                                                                root_source = excluded.root_source
                        where list_threads.root_message_id is null""")
                .setParameter("p", proposalId).setParameter("m", messageId).executeUpdate()).replaceWithVoid();
    }

    /** Keeps where the proposal stands as of the event with this sequence, unless a newer one is kept (a replay). */
    public Uni<Void> rememberStanding(String proposalId, String standing, long sequence) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into list_threads (proposal_id, standing, standing_sequence) values (:p, :v, :seq)
                        on conflict (proposal_id) do update set standing = excluded.standing,
                                                                standing_sequence = excluded.standing_sequence
                        where list_threads.standing_sequence <= excluded.standing_sequence""")
                .setParameter("p", proposalId).setParameter("v", standing).setParameter("seq", sequence)
                .executeUpdate()).replaceWithVoid();
    }

    /**
     * Claims up to {@code limit} threads with a due notice and no message in flight. Each is locked
     * {@code FOR UPDATE SKIP LOCKED}, as the worker claims deliveries, so two replicas never gather
     * the same proposal. A thread whose last message is younger than {@code minInterval} is not
     * sent: its due notices are held until the interval ends (their next attempt moves there, so
     * the delivery log shows when they go). The others are leased until {@code leaseUntil}, with the
     * notices that go in their next message.
     */
    public Uni<List<Batch>> claim(Instant now, Instant leaseUntil, Duration minInterval, String address, int limit) {
        return Panache.withTransaction(() -> session().flatMap(s -> s.createNativeQuery("""
                        select t.proposal_id, t.title, t.root_message_id, t.standing, t.last_posted_at
                        from list_threads t
                        where (t.leased_until is null or t.leased_until <= :now)
                          and exists (select 1 from deliveries d join subscriptions s on s.id = d.subscription_id
                                      where d.proposal_id = t.proposal_id and s.channel = 'LIST'
                                        and d.status = 'PENDING' and d.next_attempt_at <= :now)
                        order by t.last_posted_at nulls first
                        limit :limit
                        for update of t skip locked""", Object[].class)
                .setParameter("now", now.atOffset(ZoneOffset.UTC)).setParameter("limit", limit).getResultList()
                .flatMap(threads -> {
                    Uni<List<Batch>> chain = Uni.createFrom().item(new ArrayList<>());
                    for (Object[] t : threads) {
                        chain = chain.flatMap(batches -> take(s, t, now, leaseUntil, minInterval, address)
                                .map(batch -> {
                                    if (batch != null) {
                                        batches.add(batch);
                                    }
                                    return batches;
                                }));
                    }
                    return chain;
                })));
    }

    private Uni<Batch> take(Mutiny.Session s, Object[] thread, Instant now, Instant leaseUntil, Duration minInterval,
            String address) {
        String proposalId = (String) thread[0];
        Instant lastPosted = thread[4] == null ? null : SqlTimes.instant(thread[4]);
        return s.createNativeQuery("""
                        select d.id, d.subscription_id, d.event_id, d.event_type, d.body, d.attempts, d.next_attempt_at
                        from deliveries d join subscriptions s on s.id = d.subscription_id
                        where d.proposal_id = :p and s.channel = 'LIST' and d.status = 'PENDING'
                        order by d.created_at, d.id
                        for update of d""", Object[].class)
                .setParameter("p", proposalId).getResultList()
                .flatMap(rows -> {
                    if (!ListThread.mayPost(lastPosted, now, minInterval)) {
                        List<String> due = rows.stream().filter(r -> !SqlTimes.instant(r[6]).isAfter(now))
                                .map(r -> (String) r[0]).toList();
                        return moveTo(s, due, ListThread.heldUntil(lastPosted, minInterval)).replaceWith((Batch) null);
                    }
                    List<NotificationRepository.Claimed> members = rows.stream()
                            .filter(r -> ListThread.goesInNext(r[6] == null ? null : SqlTimes.instant(r[6]),
                                    ((Number) r[5]).intValue(), now))
                            .map(r -> new NotificationRepository.Claimed((String) r[0], (String) r[1], (UUID) r[2],
                                    (String) r[3], proposalId, "LIST", address, null, (String) r[4],
                                    ((Number) r[5]).intValue()))
                            .toList();
                    return moveTo(s, members.stream().map(NotificationRepository.Claimed::id).toList(), leaseUntil)
                            .flatMap(v -> s.createNativeQuery(
                                            "update list_threads set leased_until = :lease where proposal_id = :p")
                                    .setParameter("lease", leaseUntil.atOffset(ZoneOffset.UTC))
                                    .setParameter("p", proposalId).executeUpdate())
                            .map(n -> new Batch(proposalId, (String) thread[1], (String) thread[2], (String) thread[3],
                                    members));
                });
    }

    private static Uni<Void> moveTo(Mutiny.Session s, List<String> ids, Instant at) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return s.createNativeQuery("update deliveries set next_attempt_at = :at where id in (:ids)")
                .setParameter("at", at.atOffset(ZoneOffset.UTC)).setParameter("ids", ids).executeUpdate()
                .replaceWithVoid();
    }

    /**
     * Ends the thread's lease after a message; in the caller's transaction. A message that went
     * ({@code postedAt} not null) starts the next interval, and its own id becomes the thread's root
     * when none was known.
     */
    public Uni<Void> finish(String proposalId, Instant postedAt, String messageId) {
        Objects.requireNonNull(proposalId);
        if (postedAt == null) {
            return session().flatMap(s -> s.createNativeQuery(
                            "update list_threads set leased_until = null where proposal_id = :p")
                    .setParameter("p", proposalId).executeUpdate()).replaceWithVoid();
        }
        return session().flatMap(s -> s.createNativeQuery("""
                        update list_threads set leased_until = null, last_posted_at = :at,
                            root_source = case when root_message_id is null then 'NOTICE' else root_source end,
                            root_message_id = coalesce(root_message_id, :m)
                        where proposal_id = :p""")
                .setParameter("at", postedAt.atOffset(ZoneOffset.UTC)).setParameter("m", messageId)
                .setParameter("p", proposalId).executeUpdate()).replaceWithVoid();
    }

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }
}
