package org.pvlifecycle.consumer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pvlifecycle.eventstore.ConcurrencyConflict;


import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.eventstore.SessionSql;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer as a service would write one: each event it reads adds one row of state, which
 * counts the rows of its proposal before it (as an effect reads the state earlier events left);
 * each transaction notes first which proposals it was to lock, and finishes by noting, per
 * proposal, how many events it was given.
 */
@ApplicationScoped
public class ObjectionCountingHandler implements EventHandler {
    static final String CONSUMER = "event-consumer-test.review-in";
    private final Inbox reviewEvents = new Inbox("review-in", Topics.REVIEW, ObjectionCountingHandler::count)
            .lockingAhead(ObjectionCountingHandler::lockAhead)
            .finishing(ObjectionCountingHandler::finish)
            .onCommitted(COMMITS::incrementAndGet)
            .taking(EnumSet.complementOf(EnumSet.of(NOT_TAKEN)))
            .concerning(event -> !(event.data() instanceof ObjectionWithdrawn withdrawn
                    && NOT_CONCERNED.equals(withdrawn.text())));

    /** The text of the withdrawals this consumer reads and has nothing to do with. */
    static final String NOT_CONCERNED = "nothing for the counter";

    /** The one type this consumer has nothing to do with: its records are left unread. */
    static final EventType NOT_TAKEN = EventType.ACK_RETRACTED;

    /** How many times the inbox was told that a transaction which applied events committed. */
    static final AtomicInteger COMMITS = new AtomicInteger();

    @Inject
    EventConsumer consumer;

    @Incoming("review-in")
    public Uni<Void> onReviewEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(reviewEvents, batch);
    }

    @Override
    public List<Inbox> inboxes() {
        return List.of(reviewEvents);
    }

    /**
     * How many more times the effect on each proposal loses a race to another writer of it, as a
     * command of the effect would; kept outside the database, whose writes the failure rolls back.
     */
    static final Map<String, AtomicInteger> RACES_TO_LOSE = new ConcurrentHashMap<>();

    /** Adds a row, unless the test refuses the proposal: then it fails, as a bug would. */
    private static Uni<Void> count(EventEnvelope<LifecycleEvent> event) {
        AtomicInteger races = RACES_TO_LOSE.get(event.subject());
        if (races != null && races.getAndDecrement() > 0) {
            return Uni.createFrom().failure(new ConcurrencyConflict(event.subject(), 1, null));
        }
        return SessionSql.select("select count(*) from refused_proposals where proposal_id = $1", event.subject())
                .invoke(rows -> {
                    if (((Number) rows.get(0)[0]).longValue() > 0) {
                        throw new IllegalStateException("the test refuses " + event.subject());
                    }
                })
                .flatMap(refused -> SessionSql.update("""
                                insert into test_effects (proposal_id, event_id, type, earlier)
                                values ($1, $2, $3, (select count(*) from test_effects where proposal_id = $1))""",
                        event.subject(), event.id(), event.type().typeName()))
                .replaceWithVoid();
    }

    /** One row per proposal it is given, where an effect would lock them. */
    private static Uni<Void> lockAhead(List<String> proposals) {
        return SessionSql.update("insert into test_locks_ahead (proposal_id) select * from unnest($1::text[])",
                (Object) proposals.toArray(String[]::new)).replaceWithVoid();
    }

    /** One row per proposal among {@code events}, with how many of them it has. */
    private static Uni<Void> finish(List<EventEnvelope<LifecycleEvent>> events) {
        Map<String, Integer> perProposal = new TreeMap<>();
        events.forEach(event -> perProposal.merge(event.subject(), 1, Integer::sum));
        return SessionSql.update("insert into test_finishes (proposal_id, events) select * from unnest($1::text[], $2::int[])",
                perProposal.keySet().toArray(String[]::new), perProposal.values().toArray(Integer[]::new)).replaceWithVoid();
    }
}
