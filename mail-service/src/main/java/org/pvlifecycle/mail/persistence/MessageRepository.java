package org.pvlifecycle.mail.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.mail.Outcome;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
        return Panache.withSession(() -> session().flatMap(s -> s.createNativeQuery(
                        "select " + COLUMNS + " from messages where message_id = :id", Object[].class)
                .setParameter("id", messageId).getResultList()))
                .map(rows -> rows.stream().findFirst().map(this::message));
    }

    /** Records a new message; false when one with its Message-ID was there already. In the caller's transaction. */
    public Uni<Boolean> insert(StoredMessage m) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into messages (message_id, received_at, list_id, sender, person, subject, in_reply_to,
                                              proposal, outcome, reason, notes, actions, attempts, next_attempt_at, raw)
                        values (:id, :received, :list, :sender, :person, :subject, :inReplyTo, :proposal, :outcome,
                                :reason, :notes, cast(cast(:actions as text) as jsonb), :attempts, :next, cast(:raw as bytea))
                        on conflict (message_id) do nothing""")
                .setParameter("id", m.messageId()).setParameter("received", time(m.receivedAt()))
                .setParameter("list", m.listId()).setParameter("sender", m.sender()).setParameter("person", m.person())
                .setParameter("subject", m.subject()).setParameter("inReplyTo", m.inReplyTo())
                .setParameter("proposal", m.proposal()).setParameter("outcome", m.outcome().name())
                .setParameter("reason", m.reason()).setParameter("notes", m.notes())
                .setParameter("actions", write(m.actions()))
                .setParameter("attempts", m.attempts()).setParameter("next", time(m.nextAttemptAt()))
                .setParameter("raw", m.raw())
                .executeUpdate())
                .map(n -> n == 1);
    }

    /** Writes the message's decision and progress. In the caller's transaction. */
    public Uni<Void> update(StoredMessage m) {
        return session().flatMap(s -> s.createNativeQuery("""
                        update messages set proposal = :proposal, outcome = :outcome, reason = :reason, notes = :notes,
                            actions = cast(cast(:actions as text) as jsonb), attempts = :attempts, next_attempt_at = :next, raw = cast(:raw as bytea)
                        where message_id = :id""")
                .setParameter("proposal", m.proposal()).setParameter("outcome", m.outcome().name())
                .setParameter("reason", m.reason()).setParameter("notes", m.notes())
                .setParameter("actions", write(m.actions()))
                .setParameter("attempts", m.attempts()).setParameter("next", time(m.nextAttemptAt()))
                .setParameter("raw", m.raw()).setParameter("id", m.messageId())
                .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Claims pending messages that are due, oldest first (a thread's earlier messages before its
     * later ones), pushing their next attempt to {@code leaseUntil} so that no other instance
     * applies them meanwhile.
     */
    public Uni<List<String>> claimDue(Instant now, Instant leaseUntil, int limit) {
        return Panache.withTransaction(() -> session().flatMap(s -> s.createNativeQuery("""
                        update messages m set next_attempt_at = :lease
                        from (select message_id from messages
                              where outcome = 'PENDING' and next_attempt_at <= :now
                              order by received_at, message_id limit :limit for update skip locked) due
                        where m.message_id = due.message_id
                        returning m.message_id, m.received_at""", Object[].class)
                .setParameter("now", time(now)).setParameter("lease", time(leaseUntil)).setParameter("limit", limit)
                .getResultList()))
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
        return session().flatMap(s -> s.createNativeQuery(
                        "select message_id, proposal from messages where message_id in (:ids) and proposal is not null",
                        Object[].class).setParameter("ids", ids).getResultList())
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
        return session().flatMap(s -> s.createNativeQuery(
                        "select message_id from messages where message_id in (:ids) and outcome = 'PENDING'", String.class)
                .setParameter("ids", ids).getResultList());
    }

    /** Received messages, newest first, filtered by outcome and proposal (each null for any). */
    public Uni<List<StoredMessage>> list(Outcome outcome, String proposal, int page, int size) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from messages where true");
        Map<String, Object> params = new HashMap<>();
        if (outcome != null) {
            sql.append(" and outcome = :outcome");
            params.put("outcome", outcome.name());
        }
        if (proposal != null) {
            sql.append(" and proposal = :proposal");
            params.put("proposal", proposal);
        }
        sql.append(" order by received_at desc, message_id limit :size offset :offset");
        params.put("size", size);
        params.put("offset", page * size);
        return Panache.withSession(() -> session().flatMap(s -> {
            var query = s.createNativeQuery(sql.toString(), Object[].class);
            params.forEach(query::setParameter);
            return query.getResultList();
        })).map(rows -> rows.stream().map(this::message).toList());
    }

    private StoredMessage message(Object[] r) {
        return new StoredMessage((String) r[0], SqlTimes.instant(r[1]), (String) r[2], (String) r[3], (String) r[4],
                (String) r[5], (String) r[6], (String) r[7], Outcome.valueOf((String) r[8]), (String) r[9], (String) r[10], read((String) r[11]),
                ((Number) r[12]).intValue(), r[13] == null ? null : SqlTimes.instant(r[13]), (byte[]) r[14]);
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

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }
}
