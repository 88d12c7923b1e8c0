package org.pvlifecycle.systemtests;

import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.Topics;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.UUID;

/**
 * What PostgreSQL holds, read straight over JDBC: the events each writing service stored for some
 * proposals (its {@code <schema>.events}), and which of them each consumer applied (its
 * {@code <schema>.inbox} rows, and the projection's {@code event_log}).
 */
final class Ledger {
    /** The schemas whose events travel on the topics: each service's own events table. */
    static final List<String> WRITERS = List.of("proposal", "review", "consensus", "notification");

    /**
     * One consumer of some topics, the types of event it takes from them, and where it records what
     * it applied. A consumer acknowledges a record of another type unread, leaving no inbox row:
     * the types here are those its handler routes (its {@code EventRoutes}). It leaves alone, with
     * no inbox row either, the events of those types that its routes' conditions say have no
     * effect there: {@code concerns} says which it applies.
     */
    record Consumer(String name, String schema, Set<String> topics, Set<EventType> takes,
            Predicate<StoredEvent> concerns) {
        Consumer(String name, String schema, Set<String> topics) {
            this(name, schema, topics, EnumSet.allOf(EventType.class));
        }

        Consumer(String name, String schema, Set<String> topics, Set<EventType> takes) {
            this(name, schema, topics, takes, event -> true);
        }

        boolean isEventLog() {
            return name.equals("projection.event_log");
        }
    }

    /** Every consumer of SPEC §3, by the inbox name its service gives it, and the projection's log. */
    static final List<Consumer> CONSUMERS = List.of(
            new Consumer("proposal-service.consensus-events", "proposal", Set.of(Topics.CONSENSUS),
                    EnumSet.of(EventType.TRANSITION_DECIDED, EventType.POLICY_CHANGED, EventType.ELIGIBILITY_CHANGED)),
            new Consumer("review-service.proposal-events", "review", Set.of(Topics.PROPOSAL),
                    EnumSet.of(EventType.PROPOSAL_SUBMITTED, EventType.STAGE_ADVANCED, EventType.PROPOSAL_WITHDRAWN)),
            new Consumer("review-service.consensus-events", "review", Set.of(Topics.CONSENSUS),
                    EnumSet.of(EventType.ELIGIBILITY_CHANGED, EventType.POLICY_CHANGED, EventType.OBJECTION_LAPSED)),
            new Consumer("consensus-service.proposal-events", "consensus", Set.of(Topics.PROPOSAL)),
            new Consumer("consensus-service.review-events", "consensus", Set.of(Topics.REVIEW)),
            new Consumer("projection-service.proposal-events", "projection", Set.of(Topics.PROPOSAL)),
            new Consumer("projection-service.review-events", "projection", Set.of(Topics.REVIEW)),
            new Consumer("projection-service.consensus-events", "projection", Set.of(Topics.CONSENSUS)),
            new Consumer("projection-service.notification-events", "projection", Set.of(Topics.NOTIFICATION)),
            new Consumer("projection.event_log", "projection", Set.copyOf(Topics.ALL)),
            new Consumer("notification-service.proposal-events", "notification", Set.of(Topics.PROPOSAL)),
            new Consumer("notification-service.review-events", "notification", Set.of(Topics.REVIEW)),
            new Consumer("notification-service.consensus-events", "notification", Set.of(Topics.CONSENSUS)),
            new Consumer("notification-service.notification-events", "notification", Set.of(Topics.NOTIFICATION)),
            // A revision that leaves the paths as they were is nothing to the mail bridge.
            new Consumer("mail-service.proposal-events", "mail", Set.of(Topics.PROPOSAL),
                    EnumSet.of(EventType.PROPOSAL_SUBMITTED, EventType.PROPOSAL_REVISED, EventType.STAGE_ADVANCED,
                            EventType.PROPOSAL_WITHDRAWN),
                    event -> !event.is(EventType.PROPOSAL_REVISED) || event.fields().contains("paths")),
            // Nor is an ack given over REST, without a list message as its source.
            new Consumer("mail-service.review-events", "mail", Set.of(Topics.REVIEW),
                    EnumSet.of(EventType.OBJECTION_RAISED, EventType.OBJECTION_ANSWERED, EventType.OBJECTION_REAFFIRMED,
                            EventType.OBJECTION_WITHDRAWN, EventType.OBJECTION_OVERRULED, EventType.ACK_GIVEN),
                    event -> !event.is(EventType.ACK_GIVEN) || event.fields().contains("source")),
            new Consumer("mail-service.consensus-events", "mail", Set.of(Topics.CONSENSUS),
                    EnumSet.of(EventType.OBJECTION_LAPSED, EventType.POLICY_CHANGED)));

    /**
     * One row of a writing service's events table; {@code note} is a revision's note, else null;
     * {@code fields} the payload's fields that have a value.
     */
    record StoredEvent(UUID eventId, String aggregateId, long version, String type, String actor, String note,
            Set<String> fields) {
        boolean is(EventType eventType) {
            return eventType.typeName().equals(type);
        }

        String topic() {
            return EventType.byName(type).map(EventType::topic).orElse("unknown type " + type);
        }
    }

    /** What PostgreSQL held for some proposals at one moment. */
    record Snapshot(List<StoredEvent> stored, Map<Consumer, Map<UUID, Integer>> applied) {

        List<StoredEvent> expectedBy(Consumer consumer) {
            return stored.stream().filter(e -> consumer.topics().contains(e.topic())
                    && EventType.byName(e.type()).map(consumer.takes()::contains).orElse(true)
                    && consumer.concerns().test(e)).toList();
        }

        /** Stored events of its topics the consumer has not applied. */
        long missing(Consumer consumer) {
            Map<UUID, Integer> rows = applied.get(consumer);
            return expectedBy(consumer).stream().filter(e -> !rows.containsKey(e.eventId())).count();
        }

        /** Rows beyond the first for the same event: an event applied more than once. */
        long duplicates(Consumer consumer) {
            return applied.get(consumer).values().stream().mapToLong(rows -> rows - 1).sum();
        }

        long appliedEvents(Consumer consumer) {
            return applied.get(consumer).size();
        }

        long missingEverywhere() {
            return CONSUMERS.stream().mapToLong(this::missing).sum();
        }
    }

    private final Stack stack;

    Ledger(Stack stack) {
        this.stack = stack;
    }

    Snapshot snapshot(Collection<String> proposals) {
        try (Connection c = stack.connect()) {
            List<StoredEvent> stored = new ArrayList<>();
            Array aggregates = c.createArrayOf("text", proposals.toArray());
            for (String schema : WRITERS) {
                try (PreparedStatement q = c.prepareStatement("select event_id, aggregate_id, version, type, actor, "
                        + "payload::jsonb ->> 'note', array(select jsonb_object_keys(jsonb_strip_nulls(payload::jsonb))) "
                        + "from " + schema + ".events where aggregate_id = any(?)")) {
                    q.setArray(1, aggregates);
                    ResultSet rs = q.executeQuery();
                    while (rs.next()) {
                        stored.add(new StoredEvent(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3),
                                rs.getString(4), rs.getString(5), rs.getString(6),
                                Set.of((String[]) rs.getArray(7).getArray())));
                    }
                }
            }
            Map<Consumer, Map<UUID, Integer>> applied = new LinkedHashMap<>();
            for (Consumer consumer : CONSUMERS) {
                applied.put(consumer, appliedBy(c, consumer, stored));
            }
            return new Snapshot(List.copyOf(stored), applied);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the ledger failed", e);
        }
    }

    /**
     * Waits until every stored event of the proposals has reached every consumer of it and no new
     * event has appeared for a moment (the consensus service answers events with events of its
     * own); returns what PostgreSQL then holds, complete or not after {@code atMost}.
     */
    Snapshot awaitQuiet(Collection<String> proposals, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        Snapshot previous = null;
        while (true) {
            Snapshot now = snapshot(proposals);
            boolean settled = previous != null && previous.stored().size() == now.stored().size()
                    && now.missingEverywhere() == 0;
            if (settled || System.nanoTime() > deadline) {
                return now;
            }
            previous = now;
            Sleep.millis(500);
        }
    }

    /** The version column of a proposal's events, in order. */
    List<Long> versions(String proposalId) {
        try (Connection c = stack.connect();
             PreparedStatement q = c.prepareStatement(
                     "select version from proposal.events where aggregate_id = ? order by version")) {
            q.setString(1, proposalId);
            ResultSet rs = q.executeQuery();
            List<Long> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getLong(1));
            }
            return versions;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The number of rows of every events, inbox and event log table: what any effect would change. */
    Map<String, Long> tableSizes() {
        List<String> tables = new ArrayList<>();
        WRITERS.forEach(schema -> tables.add(schema + ".events"));
        CONSUMERS.stream().map(Consumer::schema).distinct().forEach(schema -> tables.add(schema + ".inbox"));
        tables.add("projection.event_log");
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (Connection c = stack.connect(); Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    sizes.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return sizes;
    }

    private static Map<UUID, Integer> appliedBy(Connection c, Consumer consumer, List<StoredEvent> stored)
            throws SQLException {
        Object[] expected = stored.stream().filter(e -> consumer.topics().contains(e.topic()))
                .map(StoredEvent::eventId).toArray();
        String sql = consumer.isEventLog()
                ? "select event_id, count(*) from projection.event_log where event_id = any(?) group by event_id"
                : "select event_id, count(*) from " + consumer.schema()
                        + ".inbox where event_id = any(?) and consumer = ? group by event_id";
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setArray(1, c.createArrayOf("uuid", expected));
            if (!consumer.isEventLog()) {
                q.setString(2, consumer.name());
            }
            ResultSet rs = q.executeQuery();
            Map<UUID, Integer> rows = new HashMap<>();
            while (rs.next()) {
                rows.put(rs.getObject(1, UUID.class), rs.getInt(2));
            }
            return rows;
        }
    }
}
