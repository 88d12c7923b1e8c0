package org.pvlifecycle.notification.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.eventstore.SessionSql;
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
 * The LIST channel's threads: what a proposal's messages need (title, root, standing) and the claim
 * that gathers a proposal's pending notices into one message. The notices are rows of
 * {@code deliveries}, planned with every other channel's ({@link NotificationRepository#plan},
 * {@link ConcernRepository#plan}); only the claim differs, because a message carries several.
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

    public Uni<Void> rememberTitle(String proposalId, String title) {
        return SessionSql.update("""
                        insert into list_threads (proposal_id, title) values ($1, $2)
                        on conflict (proposal_id) do update set title = excluded.title""", proposalId, title)
                .replaceWithVoid();
    }

    /** Keeps the first root learnt: a thread that has one stays that thread. */
    public Uni<Void> rememberRoot(String proposalId, String messageId) {
        return SessionSql.update("""
                        insert into list_threads (proposal_id, root_message_id, root_source) values ($1, $2, 'MAIL')
                        on conflict (proposal_id) do update set root_message_id = excluded.root_message_id,
                                                                root_source = excluded.root_source
                        where list_threads.root_message_id is null""", proposalId, messageId).replaceWithVoid();
    }

    /** Keeps where the proposal stands as of the event with this sequence, unless a newer one is kept (a replay). */
    public Uni<Void> rememberStanding(String proposalId, String standing, long sequence) {
        return SessionSql.update("""
                        insert into list_threads (proposal_id, standing, standing_sequence) values ($1, $2, $3)
                        on conflict (proposal_id) do update set standing = excluded.standing,
                                                                standing_sequence = excluded.standing_sequence
                        where list_threads.standing_sequence <= excluded.standing_sequence""",
                proposalId, standing, sequence).replaceWithVoid();
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
        return SessionSql.inTransaction(() -> SessionSql.select("""
                        select t.proposal_id, t.title, t.root_message_id, t.standing, t.last_posted_at
                        from list_threads t
                        where (t.leased_until is null or t.leased_until <= $1)
                          and exists (select 1 from deliveries d join subscriptions s on s.id = d.subscription_id
                                      where d.proposal_id = t.proposal_id and s.channel = 'LIST'
                                        and d.status = 'PENDING' and d.next_attempt_at <= $1)
                        order by t.last_posted_at nulls first
                        limit $2
                        for update of t skip locked""", now.atOffset(ZoneOffset.UTC), limit)
                .flatMap(threads -> {
                    Uni<List<Batch>> chain = Uni.createFrom().item(new ArrayList<>());
                    for (Object[] t : threads) {
                        chain = chain.flatMap(batches -> take(t, now, leaseUntil, minInterval, address)
                                .map(batch -> {
                                    if (batch != null) {
                                        batches.add(batch);
                                    }
                                    return batches;
                                }));
                    }
                    return chain;
                }));
    }

    private Uni<Batch> take(Object[] thread, Instant now, Instant leaseUntil, Duration minInterval, String address) {
        String proposalId = (String) thread[0];
        Instant lastPosted = thread[4] == null ? null : SqlTimes.instant(thread[4]);
        return SessionSql.select("""
                        select d.id, d.subscription_id, d.event_id, d.event_type, d.body, d.attempts, d.next_attempt_at,
                               d.earlier_attempts
                        from deliveries d join subscriptions s on s.id = d.subscription_id
                        where d.proposal_id = $1 and s.channel = 'LIST' and d.status = 'PENDING'
                        order by d.created_at, d.id
                        for update of d""", proposalId)
                .flatMap(rows -> {
                    if (!ListThread.mayPost(lastPosted, now, minInterval)) {
                        List<String> due = rows.stream().filter(r -> !SqlTimes.instant(r[6]).isAfter(now))
                                .map(r -> (String) r[0]).toList();
                        return moveTo(due, ListThread.heldUntil(lastPosted, minInterval)).replaceWith((Batch) null);
                    }
                    List<NotificationRepository.Claimed> members = rows.stream()
                            .filter(r -> ListThread.goesInNext(r[6] == null ? null : SqlTimes.instant(r[6]),
                                    ((Number) r[5]).intValue(), now))
                            .map(r -> new NotificationRepository.Claimed((String) r[0], (String) r[1], (UUID) r[2],
                                    (String) r[3], proposalId, "LIST", address, null, (String) r[4],
                                    ((Number) r[5]).intValue(), ((Number) r[7]).intValue()))
                            .toList();
                    return moveTo(members.stream().map(NotificationRepository.Claimed::id).toList(), leaseUntil)
                            .flatMap(v -> SessionSql.update(
                                    "update list_threads set leased_until = $1 where proposal_id = $2",
                                    leaseUntil.atOffset(ZoneOffset.UTC), proposalId))
                            .map(n -> new Batch(proposalId, (String) thread[1], (String) thread[2], (String) thread[3],
                                    members));
                });
    }

    private static Uni<Void> moveTo(List<String> ids, Instant at) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return SessionSql.update("update deliveries set next_attempt_at = $1 where id = any($2::text[])",
                at.atOffset(ZoneOffset.UTC), ids.toArray(String[]::new)).replaceWithVoid();
    }

    /**
     * Ends the thread's lease after a message; in the caller's transaction. A message that went
     * ({@code postedAt} not null) starts the next interval, and its own id becomes the thread's root
     * when none was known.
     */
    public Uni<Void> finish(String proposalId, Instant postedAt, String messageId) {
        Objects.requireNonNull(proposalId);
        if (postedAt == null) {
            return SessionSql.update("update list_threads set leased_until = null where proposal_id = $1", proposalId)
                    .replaceWithVoid();
        }
        return SessionSql.update("""
                        update list_threads set leased_until = null, last_posted_at = $1,
                            root_source = case when root_message_id is null then 'NOTICE' else root_source end,
                            root_message_id = coalesce(root_message_id, $2)
                        where proposal_id = $3""",
                postedAt.atOffset(ZoneOffset.UTC), messageId, proposalId).replaceWithVoid();
    }
}
