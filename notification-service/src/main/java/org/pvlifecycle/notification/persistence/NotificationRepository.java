package org.pvlifecycle.notification.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.pvlifecycle.eventstore.SqlTimes;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** A delivery claimed for sending, with what sending needs. */
    public record Claimed(String id, String subscriptionId, UUID eventId, String eventType, String proposalId,
            String channel, String target, String secret, String body, int attempts) {
    }

    /** One attempt; {@code nextAttemptAt} is when the retry after it was planned for (null after the last). */
    public record Attempt(int attempt, Instant at, Integer statusCode, String error, long latencyMs,
            Instant nextAttemptAt) {
    }

    /** {@code notice} is null for an event the subscription asked for by its type. */
    public record Delivery(String id, String subscriptionId, UUID eventId, String eventType, String proposalId,
            String notice, String status, int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError, Instant createdAt,
            Instant finishedAt, List<Attempt> attemptLog) {
    }

    public Uni<Void> subscribe(Subscription s, String secret) {
        return Panache.withTransaction(() -> session().flatMap(x -> x.createNativeQuery("""
                        insert into subscriptions (id, owner, channel, target, types, proposal, secret, czar, created_at)
                        values (:id, :owner, :channel, :target, :types, :proposal, :secret, :czar, :at)""")
                .setParameter("id", s.id()).setParameter("owner", s.owner()).setParameter("channel", s.channel())
                .setParameter("target", s.target()).setParameter("types", String.join(",", s.types()))
                .setParameter("proposal", s.proposal()).setParameter("secret", secret).setParameter("czar", s.czar())
                .setParameter("at", s.createdAt().atOffset(ZoneOffset.UTC))
                .executeUpdate())).replaceWithVoid();
    }

    public Uni<List<Subscription>> subscriptionsOf(String owner) {
        return Panache.withSession(() -> session().flatMap(x -> x.createNativeQuery(
                        "select id, owner, channel, target, types, proposal, czar, created_at from subscriptions "
                                + "where owner = :owner order by created_at, id", Object[].class)
                .setParameter("owner", owner).getResultList()))
                .map(rows -> rows.stream().map(NotificationRepository::subscription).toList());
    }

    /** Deletes the owner's subscription; false when the owner has none of that id. */
    public Uni<Boolean> unsubscribe(String owner, String id) {
        return Panache.withTransaction(() -> session().flatMap(x -> x.createNativeQuery(
                        "delete from subscriptions where id = :id and owner = :owner")
                .setParameter("id", id).setParameter("owner", owner).executeUpdate()))
                .map(n -> n == 1);
    }

    /**
     * Plans a delivery of the event to each subscription that asked for its type, with the body
     * of the subscription's channel; in the consumer's transaction. LIST subscriptions are planned
     * by {@link ListRepository}, which keeps their thread.
     */
    public Uni<Integer> plan(UUID eventId, String eventType, String proposalId, String webhookBody, String emailBody,
            Instant now) {
        return session().flatMap(x -> x.createNativeQuery("""
                        insert into deliveries (id, subscription_id, owner, event_id, event_type, proposal_id, body, status,
                                                attempts, next_attempt_at, created_at)
                        select gen_random_uuid()::text, s.id, s.owner, :event, :type, :proposal,
                               case when s.channel = 'EMAIL' then :email else :webhook end, 'PENDING', 0, :now, :now
                        from subscriptions s
                        where (',' || s.types || ',' like '%,' || :type || ',%' or ',' || s.types || ',' like '%,*,%')
                          and (s.proposal is null or s.proposal = :proposal)
                          and s.channel <> 'LIST'
                        on conflict (subscription_id, event_id, notice) do nothing""")
                .setParameter("event", eventId).setParameter("type", eventType).setParameter("proposal", proposalId)
                .setParameter("webhook", webhookBody).setParameter("email", emailBody).setParameter("now", now.atOffset(ZoneOffset.UTC))
                .executeUpdate());
    }

    /**
     * Claims due deliveries, pushing their next attempt past the lease so no one else sends them meanwhile.
     * The list's notices are not among them: they go by proposal, several in one message ({@link ListRepository}).
     */
    public Uni<List<Claimed>> claim(Instant now, Instant leaseUntil, int limit) {
        return Panache.withTransaction(() -> session().flatMap(x -> x.createNativeQuery("""
                        update deliveries d set next_attempt_at = :lease
                        from (select id from deliveries where status = 'PENDING' and next_attempt_at <= :now
                                and subscription_id not in (select id from subscriptions where channel = 'LIST')
                              order by next_attempt_at limit :limit for update skip locked) due, subscriptions s
                        where d.id = due.id and s.id = d.subscription_id
                        returning d.id, d.subscription_id, d.event_id, d.event_type, d.proposal_id, s.channel, s.target,
                                  s.secret, d.body, d.attempts""", Object[].class)
                .setParameter("now", now.atOffset(ZoneOffset.UTC)).setParameter("lease", leaseUntil.atOffset(ZoneOffset.UTC))
                .setParameter("limit", limit)
                .getResultList()))
                .map(rows -> rows.stream().map(r -> new Claimed((String) r[0], (String) r[1], (UUID) r[2], (String) r[3],
                        (String) r[4], (String) r[5], (String) r[6], (String) r[7], (String) r[8], ((Number) r[9]).intValue()))
                        .toList());
    }

    /** Records an attempt and the delivery's new state; in the caller's transaction. */
    public Uni<Void> recordAttempt(String id, int attempt, Instant at, Integer statusCode, String error, long latencyMs,
            String status, Instant nextAttemptAt) {
        return session().flatMap(x -> x.createNativeQuery("""
                        insert into delivery_attempts (delivery_id, attempt, at, status_code, error, latency_ms,
                                                       next_attempt_at)
                        values (:id, :attempt, :at, :code, :error, :latency, :next)""")
                .setParameter("id", id).setParameter("attempt", attempt).setParameter("at", at.atOffset(ZoneOffset.UTC))
                .setParameter("code", statusCode).setParameter("error", error).setParameter("latency", latencyMs)
                .setParameter("next", nextAttemptAt == null ? null : nextAttemptAt.atOffset(ZoneOffset.UTC))
                .executeUpdate()
                .flatMap(n -> x.createNativeQuery("""
                                update deliveries set attempts = :attempt, status = :status, next_attempt_at = :next,
                                    last_status = :code, last_error = :error, finished_at = :finished
                                where id = :id""")
                        .setParameter("attempt", attempt).setParameter("status", status)
                        .setParameter("next", nextAttemptAt == null ? null : nextAttemptAt.atOffset(ZoneOffset.UTC))
                        .setParameter("code", statusCode).setParameter("error", error)
                        .setParameter("finished", "PENDING".equals(status) ? null : at.atOffset(ZoneOffset.UTC))
                        .setParameter("id", id)
                        .executeUpdate())).replaceWithVoid();
    }

    /** Deliveries, newest first, with their attempts: an owner's, or everyone's ({@code owner} null). */
    public Uni<List<Delivery>> deliveries(String owner, String status, String subscription, int page, int size) {
        StringBuilder sql = new StringBuilder("select id, subscription_id, event_id, event_type, proposal_id, notice, status, "
                + "attempts, next_attempt_at, last_status, last_error, created_at, finished_at from deliveries where true");
        Map<String, Object> params = new java.util.HashMap<>();
        if (owner != null) {
            sql.append(" and owner = :owner");
            params.put("owner", owner);
        }
        if (status != null) {
            sql.append(" and status = :status");
            params.put("status", status);
        }
        if (subscription != null) {
            sql.append(" and subscription_id = :subscription");
            params.put("subscription", subscription);
        }
        sql.append(" order by created_at desc, id limit :size offset :offset");
        params.put("size", size);
        params.put("offset", page * size);
        return Panache.withSession(() -> session().flatMap(x -> {
            var q = x.createNativeQuery(sql.toString(), Object[].class);
            params.forEach(q::setParameter);
            return q.getResultList().flatMap(rows -> {
                List<String> ids = rows.stream().map(r -> (String) r[0]).toList();
                if (ids.isEmpty()) {
                    return Uni.createFrom().item(List.<Delivery>of());
                }
                return x.createNativeQuery("select delivery_id, attempt, at, status_code, error, latency_ms, "
                                + "next_attempt_at from delivery_attempts where delivery_id in (:ids) order by attempt", Object[].class)
                        .setParameter("ids", ids).getResultList().map(attempts -> {
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
                                        SqlTimes.instant(r[11]), r[12] == null ? null : SqlTimes.instant(r[12]), log));
                            }
                            return result;
                        });
            });
        }));
    }

    static Subscription subscription(Object[] r) {
        return new Subscription((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                Arrays.asList(((String) r[4]).split(",")), (String) r[5], (Boolean) r[6], SqlTimes.instant(r[7]));
    }


    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }
}
