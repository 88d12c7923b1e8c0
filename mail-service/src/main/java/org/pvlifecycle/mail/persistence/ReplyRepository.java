package org.pvlifecycle.mail.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.mail.domain.Reply;

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
    public record Owed(String messageId, Reply reply, int attempts) {
    }

    /** Records the reply owed for {@code messageId}, due at once; nothing if one is recorded already. In the caller's transaction. */
    public Uni<Void> owe(String messageId, Reply reply, Instant now) {
        return SessionSql.update("""
                        insert into replies (message_id, reply_id, recipient, subject, in_reply_to, refs, body, created_at,
                                             next_attempt_at)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $8)
                        on conflict (message_id) do nothing""",
                        messageId, reply.messageId(), reply.to(), reply.subject(), reply.inReplyTo(),
                        String.join(" ", reply.references()), reply.text(), time(now))
                .replaceWithVoid();
    }

    /**
     * Claims replies that are due, oldest first, pushing their next attempt to {@code leaseUntil}
     * so that no other instance sends them meanwhile.
     */
    public Uni<List<Owed>> claimDue(Instant now, Instant leaseUntil, int limit) {
        return SessionSql.inTransaction(() -> SessionSql.select("""
                        update replies r set next_attempt_at = $1
                        from (select message_id from replies
                              where sent_at is null and given_up_at is null and next_attempt_at <= $2
                              order by created_at, message_id limit $3 for update skip locked) due
                        where r.message_id = due.message_id
                        returning r.message_id, r.reply_id, r.recipient, r.subject, r.in_reply_to, r.refs, r.body,
                                  r.attempts, r.created_at""", time(leaseUntil), time(now), limit))
                .map(rows -> rows.stream()
                        .sorted(Comparator.comparing((Object[] r) -> SqlTimes.instant(r[8])).thenComparing(r -> (String) r[0]))
                        .map(r -> new Owed((String) r[0], new Reply((String) r[2], (String) r[3], (String) r[1],
                                (String) r[4], Arrays.asList(((String) r[5]).split(" ")), (String) r[6]),
                                ((Number) r[7]).intValue()))
                        .toList());
    }

    public Uni<Void> sent(String messageId, Instant at) {
        return SessionSql.inTransaction(() -> SessionSql.update(
                        "update replies set sent_at = $1, next_attempt_at = null, last_error = null where message_id = $2",
                        time(at), messageId))
                .replaceWithVoid();
    }

    /** The server was away: tried again from {@code next}. */
    public Uni<Void> failed(String messageId, int attempts, Instant next, String error) {
        return SessionSql.inTransaction(() -> SessionSql.update(
                        "update replies set attempts = $1, next_attempt_at = $2, last_error = $3 where message_id = $4",
                        attempts, time(next), error, messageId))
                .replaceWithVoid();
    }

    /** The server refused the recipient: not tried again. */
    public Uni<Void> givenUp(String messageId, Instant at, String error) {
        return SessionSql.inTransaction(() -> SessionSql.update(
                        "update replies set given_up_at = $1, next_attempt_at = null, last_error = $2 where message_id = $3",
                        time(at), error, messageId))
                .replaceWithVoid();
    }

    private static OffsetDateTime time(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
