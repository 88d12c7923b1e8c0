package org.pvlifecycle.mail.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.mail.Outcome;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code messages} table: what was received, what it was decided to do, and how far that got. */
@ApplicationScoped
public class MessageRepository {
    private static final String COLUMNS = "message_id, received_at, list_id, sender, person, subject, in_reply_to, "
            + "proposal, outcome, reason, notes, actions::text, attempts, next_attempt_at, raw";
    private static final TypeReference<List<MessageAction>> ACTIONS = new TypeReference<>() {
    };

    @Inject
    ObjectMapper json;

    public Uni<Optional<StoredMessage>> find(String messageId) {
        return SessionSql.select("select " + COLUMNS + " from messages where message_id = $1",
                        messageId)
                .map(rows -> rows.stream().findFirst().map(this::message));
    }

    /** Records a new message; false when one with its Message-ID was there already. In the caller's transaction. */
    public Uni<Boolean> insert(StoredMessage m) {
        return SessionSql.update("""
                        insert into messages (message_id, received_at, list_id, sender, person, subject, in_reply_to,
                                              proposal, outcome, reason, notes, actions, attempts, next_attempt_at, raw)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                                $10, $11, cast(cast($12 as text) as jsonb), $13, $14, cast($15 as bytea))
                        on conflict (message_id) do nothing""",
                        m.messageId(), time(m.receivedAt()), m.listId(), m.sender(), m.person(), m.subject(),
                        m.inReplyTo(), m.proposal(), m.outcome().name(), m.reason(), m.notes(), write(m.actions()),
                        m.attempts(), time(m.nextAttemptAt()), m.raw())
                .map(n -> n == 1);
    }

    /** Writes the message's decision and progress. In the caller's transaction. */
    public Uni<Void> update(StoredMessage m) {
        return SessionSql.update("""
                        update messages set proposal = $1, outcome = $2, reason = $3, notes = $4,
                            actions = cast(cast($5 as text) as jsonb), attempts = $6, next_attempt_at = $7, raw = cast($8 as bytea)
                        where message_id = $9""",
                        m.proposal(), m.outcome().name(), m.reason(), m.notes(), write(m.actions()), m.attempts(),
                        time(m.nextAttemptAt()), m.raw(), m.messageId())
                .replaceWithVoid();
    }

    /**
     * Claims pending messages that are due, oldest first (a thread's earlier messages before its
     * later ones), pushing their next attempt to {@code leaseUntil} so that no other instance
     * applies them meanwhile.
     */
    public Uni<List<String>> claimDue(Instant now, Instant leaseUntil, int limit) {
        return SessionSql.inTransaction(() -> SessionSql.select("""
                        update messages m set next_attempt_at = $1
                        from (select message_id from messages
                              where outcome = 'PENDING' and next_attempt_at <= $2
                              order by received_at, message_id limit $3 for update skip locked) due
                        where m.message_id = due.message_id
                        returning m.message_id, m.received_at""", time(leaseUntil), time(now), limit))
                .map(rows -> rows.stream()
                        .sorted(java.util.Comparator.comparing((Object[] r) -> SqlTimes.instant(r[1]))
                                .thenComparing(r -> (String) r[0]))
                        .map(r -> (String) r[0]).toList());
    }

    /** The messages among {@code ids} that belong to a proposal: message id → proposal id. */
    public Uni<Map<String, String>> proposalsOf(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return SessionSql.select(
                        "select message_id, proposal from messages where message_id = any($1::text[]) and proposal is not null",
                        (Object) ids.toArray(String[]::new))
                .map(rows -> {
                    Map<String, String> result = new HashMap<>();
                    rows.forEach(r -> result.put((String) r[0], (String) r[1]));
                    return result;
                });
    }

    /** The messages among {@code ids} still pending. */
    public Uni<List<String>> pendingAmong(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return SessionSql.select(
                        "select message_id from messages where message_id = any($1::text[]) and outcome = 'PENDING'",
                        (Object) ids.toArray(String[]::new))
                .map(rows -> rows.stream().map(r -> (String) r[0]).toList());
    }

    /** Received messages, newest first, filtered by outcome and proposal (each null for any). */
    public Uni<List<StoredMessage>> list(Outcome outcome, String proposal, int page, int size) {
        // At most four statements (with or without each filter), each prepared once per connection.
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from messages where true");
        List<Object> params = new ArrayList<>();
        if (outcome != null) {
            params.add(outcome.name());
            sql.append(" and outcome = $").append(params.size());
        }
        if (proposal != null) {
            params.add(proposal);
            sql.append(" and proposal = $").append(params.size());
        }
        params.add(size);
        params.add(page * size);
        sql.append(" order by received_at desc, message_id limit $").append(params.size() - 1).append(" offset $")
                .append(params.size());
        return SessionSql.select(sql.toString(), params.toArray())
                .map(rows -> rows.stream().map(this::message).toList());
    }

    private StoredMessage message(Object[] r) {
        return new StoredMessage((String) r[0], SqlTimes.instant(r[1]), (String) r[2], (String) r[3], (String) r[4],
                (String) r[5], (String) r[6], (String) r[7], Outcome.valueOf((String) r[8]), (String) r[9], (String) r[10], read((String) r[11]),
                ((Number) r[12]).intValue(), r[13] == null ? null : SqlTimes.instant(r[13]), bytes(r[14]));
    }

    /** A bytea as the reactive client gives it (a Vert.x buffer), as bytes. */
    private static byte[] bytes(Object value) {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        return ((Buffer) value).getBytes();
    }

    private String write(List<MessageAction> actions) {
        try {
            return json.writeValueAsString(actions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the actions", e);
        }
    }

    private List<MessageAction> read(String text) {
        try {
            return json.readValue(text, ACTIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read the actions: " + text, e);
        }
    }

    private static OffsetDateTime time(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
