package org.pvlifecycle.notification.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.eventstore.SqlTimes;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Subscriptions, deliveries and attempts, through SQL (the worker's claims need row locks). */
@ApplicationScoped
public class NotificationRepository {

    /** {@code czar}: subscribed with the czar role, so the Czar's notices reach it. */
    public record Subscription(String id, String owner, String channel, String target, List<String> types,
            String proposal, boolean czar, Instant createdAt) {
    }

    /**
     * A delivery claimed for sending, with what sending needs. {@code attempts} counts every attempt so far;
     * {@code earlierAttempts} those made before it was last retried by hand, which the retry policy no
     * longer counts.
     */
    public record Claimed(String id, String subscriptionId, UUID eventId, String eventType, String proposalId,
            String channel, String target, String secret, String body, int attempts, int earlierAttempts) {

        /** The attempts of its current series: all of them, unless it was retried by hand. */
        public int seriesAttempts() {
            return attempts - earlierAttempts;
        }
    }

    /** A delivery as a retry by hand finds it: its state, and where it would go. */
    public record Retryable(String status, String channel, String target) {
    }

    /** One attempt; {@code nextAttemptAt} is when the retry after it was planned for (null after the last). */
    public record Attempt(int attempt, Instant at, Integer statusCode, String error, long latencyMs,
            Instant nextAttemptAt) {
    }

    /**
     * A retry by hand: who put the delivery back ({@code by}, the caller's subject: its owner, or an operator),
     * when, and after how many attempts (the last attempt of the series it ended).
     */
    public record Retry(String by, Instant at, int afterAttempt) {
    }

    /**
     * {@code notice} is null for an event the subscription asked for by its type; {@code retries} are its
     * retries by hand in the order they were made, empty when it never was.
     */
    public record Delivery(String id, String subscriptionId, UUID eventId, String eventType, String proposalId,
            String notice, String status, int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError, Instant createdAt,
            Instant finishedAt, List<Attempt> attemptLog, List<Retry> retries) {
    }

    public Uni<Void> subscribe(Subscription s, String secret) {
        return SessionSql.inTransaction(() -> SessionSql.update("""
                        insert into subscriptions (id, owner, channel, target, types, proposal, secret, czar, created_at)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
                s.id(), s.owner(), s.channel(), s.target(), String.join(",", s.types()), s.proposal(), secret, s.czar(),
                s.createdAt().atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    public Uni<List<Subscription>> subscriptionsOf(String owner) {
        return SessionSql.select(
                        "select id, owner, channel, target, types, proposal, czar, created_at from subscriptions "
                                + "where owner = $1 order by created_at, id", owner)
                .map(rows -> rows.stream().map(NotificationRepository::subscription).toList());
    }

    private static final String DELIVERY_FAILED = EventType.DELIVERY_FAILED.typeName();

    /** Deletes the owner's subscription; false when the owner has none of that id. */
    public Uni<Boolean> unsubscribe(String owner, String id) {
        return SessionSql.inTransaction(() -> SessionSql.update(
                        "delete from subscriptions where id = $1 and owner = $2", id, owner))
                .map(n -> n == 1);
    }

    /**
     * Plans a delivery of the event to each subscription that asked for its type (or {@code *}),
     * with the body of the subscription's channel, and makes the list's thread row with its first
     * delivery (a claim needs a row to lock); in the consumer's transaction, one statement.
     * A {@code delivery-failed} goes only to subscriptions that name its type, never to the one
     * whose delivery failed ({@code failedSubscription}): sent to a target that is away, it would
     * fail in turn, and with {@code *} every failure would be news to every other subscriber.
     */
    public Uni<Void> plan(UUID eventId, String eventType, String proposalId, String webhookBody, String emailBody,
            String listBody, Instant now, String failedSubscription) {
        return SessionSql.update("""
                        with planned as (
                            insert into deliveries (id, subscription_id, owner, event_id, event_type, proposal_id, body,
                                                    status, attempts, next_attempt_at, created_at)
                            select gen_random_uuid()::text, s.id, s.owner, $1, $2, $3,
                                   case s.channel when 'LIST' then $6::text when 'EMAIL' then $4::text else $5::text end,
                                   'PENDING', 0, $7, $7
                            from subscriptions s
                            where (',' || s.types || ',' like '%,' || $2::text || ',%'
                                   or ',' || s.types || ',' like '%,*,%' and $2::text <> $9::text)
                              and (s.proposal is null or s.proposal = $3)
                              and s.id is distinct from $8::text
                            on conflict (subscription_id, event_id, notice) do nothing
                            returning subscription_id)
                        """ + ConcernRepository.THREAD_OF_PLANNED,
                eventId, eventType, proposalId, emailBody, webhookBody, listBody, now.atOffset(ZoneOffset.UTC),
                failedSubscription, DELIVERY_FAILED)
                .replaceWithVoid();
    }

    /**
     * Claims due deliveries, pushing their next attempt past the lease so no one else sends them meanwhile.
     * The list's notices are not among them: they go by proposal, several in one message ({@link ListRepository}).
     */
    public Uni<List<Claimed>> claim(Instant now, Instant leaseUntil, int limit) {
        return SessionSql.inTransaction(() -> SessionSql.select("""
                        update deliveries d set next_attempt_at = $1
                        from (select id from deliveries where status = 'PENDING' and next_attempt_at <= $2
                                and subscription_id not in (select id from subscriptions where channel = 'LIST')
                              order by next_attempt_at limit $3 for update skip locked) due, subscriptions s
                        where d.id = due.id and s.id = d.subscription_id
                        returning d.id, d.subscription_id, d.event_id, d.event_type, d.proposal_id, s.channel, s.target,
                                  s.secret, d.body, d.attempts, d.earlier_attempts""",
                leaseUntil.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> rows.stream().map(r -> new Claimed((String) r[0], (String) r[1], (UUID) r[2], (String) r[3],
                        (String) r[4], (String) r[5], (String) r[6], (String) r[7], (String) r[8], ((Number) r[9]).intValue(),
                        ((Number) r[10]).intValue()))
                        .toList());
    }

    /** Records an attempt and the delivery's new state; in the caller's transaction. */
    public Uni<Void> recordAttempt(String id, int attempt, Instant at, Integer statusCode, String error, long latencyMs,
            String status, Instant nextAttemptAt) {
        OffsetDateTime next = nextAttemptAt == null ? null : nextAttemptAt.atOffset(ZoneOffset.UTC);
        return SessionSql.update("""
                        insert into delivery_attempts (delivery_id, attempt, at, status_code, error, latency_ms,
                                                       next_attempt_at)
                        values ($1, $2, $3, $4, $5, $6, $7)""",
                        id, attempt, at.atOffset(ZoneOffset.UTC), statusCode, error, latencyMs, next)
                .flatMap(n -> SessionSql.update("""
                                update deliveries set attempts = $1, status = $2, next_attempt_at = $3,
                                    last_status = $4, last_error = $5, finished_at = $6
                                where id = $7""",
                        attempt, status, next, statusCode, error,
                        "PENDING".equals(status) ? null : at.atOffset(ZoneOffset.UTC), id))
                .replaceWithVoid();
    }

    /**
     * The delivery {@code id} as a retry by hand needs it, if it is the owner's ({@code owner} null: anyone's);
     * null when there is none of that id, or it is someone else's.
     */
    public Uni<Retryable> retryable(String owner, String id) {
        return SessionSql.select("""
                        select d.status, s.channel, s.target from deliveries d join subscriptions s on s.id = d.subscription_id
                        where d.id = $1 and ($2::text is null or d.owner = $2)""", id, owner)
                .map(rows -> rows.isEmpty() ? null
                        : new Retryable((String) rows.get(0)[0], (String) rows.get(0)[1], (String) rows.get(0)[2]));
    }

    /**
     * Puts a dead delivery back: pending, due at {@code now}, with a new series of attempts numbered after
     * the earlier ones, which stay; and records the retry ({@code by}, {@code now}, the attempts so far).
     * False when it is not dead (or not the owner's): one guarded statement, so of two retries at once only
     * one finds it dead, and the worker, which claims only pending ones, cannot have it in flight meanwhile;
     * a send of one attempt never goes twice. The record is written by the same statement, from the row the
     * update returns: a retry that lost the race, having put nothing back, records nothing, and no retry
     * goes unrecorded. Its number follows the delivery's earlier retries; only the winner of the row's lock
     * counts them, so two never take the same one.
     */
    public Uni<Boolean> retry(String owner, String id, Instant now, String by) {
        return SessionSql.update("""
                        with retried as (
                            update deliveries set status = 'PENDING', next_attempt_at = $3, finished_at = null,
                                earlier_attempts = attempts
                            where id = $1 and ($2::text is null or owner = $2) and status = 'DEAD'
                            returning id, attempts)
                        insert into delivery_retries (delivery_id, retry, retried_by, retried_at, after_attempt)
                        select r.id, (select count(*) from delivery_retries p where p.delivery_id = r.id) + 1,
                               $4, $3, r.attempts
                        from retried r""",
                        id, owner, now.atOffset(ZoneOffset.UTC), by)
                .map(n -> n == 1);
    }

    /** Deliveries, newest first, with their attempts: an owner's, or everyone's ({@code owner} null). */
    public Uni<List<Delivery>> deliveries(String owner, String status, String subscription, int page, int size) {
        return deliveries(owner, null, status, subscription, page, size);
    }

    /** The delivery {@code id} as {@link #deliveries} shows it, if it is the owner's ({@code owner} null: anyone's). */
    public Uni<Delivery> delivery(String owner, String id) {
        return deliveries(owner, id, null, null, 0, 1).map(found -> found.isEmpty() ? null : found.get(0));
    }

    private Uni<List<Delivery>> deliveries(String owner, String id, String status, String subscription, int page,
            int size) {
        StringBuilder sql = new StringBuilder("select id, subscription_id, event_id, event_type, proposal_id, notice, status, "
                + "attempts, next_attempt_at, last_status, last_error, created_at, finished_at from deliveries where true");
        List<Object> params = new ArrayList<>();
        if (owner != null) {
            params.add(owner);
            sql.append(" and owner = $").append(params.size());
        }
        if (id != null) {
            params.add(id);
            sql.append(" and id = $").append(params.size());
        }
        if (status != null) {
            params.add(status);
            sql.append(" and status = $").append(params.size());
        }
        if (subscription != null) {
            params.add(subscription);
            sql.append(" and subscription_id = $").append(params.size());
        }
        params.add(size);
        params.add(page * size);
        sql.append(" order by created_at desc, id limit $").append(params.size() - 1).append(" offset $")
                .append(params.size());
        return SessionSql.select(sql.toString(), params.toArray()).flatMap(rows -> {
            String[] ids = rows.stream().map(r -> (String) r[0]).toArray(String[]::new);
            if (ids.length == 0) {
                return Uni.createFrom().item(List.<Delivery>of());
            }
            return SessionSql.select("select delivery_id, attempt, at, status_code, error, latency_ms, "
                            + "next_attempt_at from delivery_attempts where delivery_id = any($1::text[]) order by attempt",
                            (Object) ids)
                    .flatMap(attempts -> retriesOf(ids).map(retries -> {
                        List<Delivery> result = new ArrayList<>();
                        for (Object[] r : rows) {
                            List<Attempt> log = attempts.stream().filter(a -> a[0].equals(r[0]))
                                    .map(a -> new Attempt(((Number) a[1]).intValue(), SqlTimes.instant(a[2]),
                                            a[3] == null ? null : ((Number) a[3]).intValue(), (String) a[4],
                                            ((Number) a[5]).longValue(),
                                            a[6] == null ? null : SqlTimes.instant(a[6]))).toList();
                            String notice = (String) r[5];
                            result.add(new Delivery((String) r[0], (String) r[1], (UUID) r[2], (String) r[3],
                                    (String) r[4], notice.isEmpty() ? null : notice, (String) r[6],
                                    ((Number) r[7]).intValue(), r[8] == null ? null : SqlTimes.instant(r[8]),
                                    r[9] == null ? null : ((Number) r[9]).intValue(), (String) r[10],
                                    SqlTimes.instant(r[11]), r[12] == null ? null : SqlTimes.instant(r[12]), log,
                                    retries.getOrDefault((String) r[0], List.of())));
                        }
                        return result;
                    }));
        });
    }

    /** The retries by hand of the deliveries {@code ids}, each delivery's in the order they were made. */
    private static Uni<Map<String, List<Retry>>> retriesOf(String[] ids) {
        return SessionSql.select("select delivery_id, retried_by, retried_at, after_attempt from delivery_retries "
                        + "where delivery_id = any($1::text[]) order by delivery_id, retry", (Object) ids)
                .map(rows -> {
                    Map<String, List<Retry>> byDelivery = new HashMap<>();
                    for (Object[] r : rows) {
                        byDelivery.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add(new Retry((String) r[1],
                                SqlTimes.instant(r[2]), ((Number) r[3]).intValue()));
                    }
                    return byDelivery;
                });
    }

    static Subscription subscription(Object[] r) {
        return new Subscription((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                Arrays.asList(((String) r[4]).split(",")), (String) r[5], (Boolean) r[6], SqlTimes.instant(r[7]));
    }
}
