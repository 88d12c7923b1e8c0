package org.pvlifecycle.mail.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.mail.domain.NackReply;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The {@code replies} table: replies owed to senders, and whether each went out. */
@ApplicationScoped
public class ReplyRepository {

    /** A reply owed, as the loop that sends it reads it. */
    public record Owed(String messageId, NackReply reply, int attempts) {
    }

    /** Records the reply owed for {@code messageId}, due at once; nothing if one is recorded already. In the caller's transaction. */
    public Uni<Void> owe(String messageId, NackReply reply, Instant now) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into replies (message_id, reply_id, recipient, subject, in_reply_to, refs, body, created_at,
                                             next_attempt_at)
                        values (:id, :replyId, :to, :subject, :inReplyTo, :refs, :body, :now, :now)
                        on conflict (message_id) do nothing""")
                .setParameter("id", messageId).setParameter("replyId", reply.messageId()).setParameter("to", reply.to())
                .setParameter("subject", reply.subject()).setParameter("inReplyTo", reply.inReplyTo())
                .setParameter("refs", String.join(" ", reply.references())).setParameter("body", reply.text())
                .setParameter("now", time(now))
                .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Claims replies that are due, oldest first, pushing their next attempt to {@code leaseUntil}
     * so that no other instance sends them meanwhile.
     */
    public Uni<List<Owed>> claimDue(Instant now, Instant leaseUntil, int limit) {
        return Panache.withTransaction(() -> session().flatMap(s -> s.createNativeQuery("""
                        update replies r set next_attempt_at = :lease
                        from (select message_id from replies
                              where sent_at is null and given_up_at is null and next_attempt_at <= :now
                              order by created_at, message_id limit :limit for update skip locked) due
                        where r.message_id = due.message_id
                        returning r.message_id, r.reply_id, r.recipient, r.subject, r.in_reply_to, r.refs, r.body,
                                  r.attempts, r.created_at""", Object[].class)
                .setParameter("now", time(now)).setParameter("lease", time(leaseUntil)).setParameter("limit", limit)
                .getResultList()))
                .map(rows -> rows.stream()
                        .sorted(Comparator.comparing((Object[] r) -> SqlTimes.instant(r[8])).thenComparing(r -> (String) r[0]))
                        .map(r -> new Owed((String) r[0], new NackReply((String) r[2], (String) r[3], (String) r[1],
                                (String) r[4], Arrays.asList(((String) r[5]).split(" ")), (String) r[6]),
                                ((Number) r[7]).intValue()))
                        .toList());
    }

    public Uni<Void> sent(String messageId, Instant at) {
        return Panache.withTransaction(() -> session().flatMap(s -> s.createNativeQuery(
                        "update replies set sent_at = :at, next_attempt_at = null, last_error = null where message_id = :id")
                .setParameter("at", time(at)).setParameter("id", messageId).executeUpdate()))
                .replaceWithVoid();
    }

    /** The server was away: tried again from {@code next}. */
    public Uni<Void> failed(String messageId, int attempts, Instant next, String error) {
        return Panache.withTransaction(() -> session().flatMap(s -> s.createNativeQuery(
                        "update replies set attempts = :attempts, next_attempt_at = :next, last_error = :error where message_id = :id")
                .setParameter("attempts", attempts).setParameter("next", time(next)).setParameter("error", error)
                .setParameter("id", messageId).executeUpdate()))
                .replaceWithVoid();
    }

    /** The server refused the recipient: not tried again. */
    public Uni<Void> givenUp(String messageId, Instant at, String error) {
        return Panache.withTransaction(() -> session().flatMap(s -> s.createNativeQuery(
                        "update replies set given_up_at = :at, next_attempt_at = null, last_error = :error where message_id = :id")
                .setParameter("at", time(at)).setParameter("error", error).setParameter("id", messageId).executeUpdate()))
                .replaceWithVoid();
    }

    private static OffsetDateTime time(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }
}
