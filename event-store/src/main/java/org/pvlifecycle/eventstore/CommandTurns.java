package org.pvlifecycle.eventstore;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.decider.Decider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The deciding half of the {@link EventStore}: one or more commands on an aggregate (a turn, see
 * {@link CommandQueues}) decided in order on its state, kept or folded ({@link AggregateFolds}),
 * appended in one statement, and the state they leave kept for the next command (and, now and
 * then, written as a snapshot).
 */
@ApplicationScoped
class CommandTurns {
    private static final Logger LOG = Logger.getLogger(CommandTurns.class);

    @Inject
    EventStore store;

    @Inject
    AggregateFolds folds;

    @Inject
    KeptStates kept;

    @Inject
    EventStoreConfig config;

    /** One command of a turn: who asks for it, and what it decides on a state. */
    record Turn<S>(String actor, Function<S, List<? extends LifecycleEvent>> decision) {
    }

    /** What became of one {@link Turn}: the state it was decided on and its events, or its refusal. */
    record Outcome<S>(S before, List<EventEnvelope<LifecycleEvent>> appended, RuntimeException refusal) {
        /** The command's result, or its refusal thrown. */
        @SuppressWarnings("unchecked")
        <E extends LifecycleEvent> Decided<S, E> decided() {
            if (refusal != null) {
                throw refusal;
            }
            return new Decided<>(before, (List<EventEnvelope<E>>) (List<?>) appended);
        }
    }

    /**
     * Folds the aggregate with {@code decider} and decides {@code turns} in order, each on the state
     * the ones before it left, then appends all that they decided in one statement: in the
     * caller's transaction when there is one, else as a statement that commits by itself. A turn
     * the rules refuse (or that fails otherwise) is that turn's outcome and changes nothing; the
     * others go on.
     *
     * <p>Without a transaction of the caller's, a state this instance kept after its last command
     * on the aggregate is decided on as it is, without reading the history first: the append
     * writes only if the aggregate is still at the kept version and its event there is the kept
     * one, which proves the state current. When it is not (another instance wrote meanwhile, a
     * transaction that kept it rolled back), nothing is written, and the turns are decided again
     * on the history, as they would have been at first (no lost race of theirs). Turns that decide
     * nothing would prove nothing, so they are decided on the history too. So a command on an
     * aggregate this instance wrote last costs one statement, where a transaction with a read
     * cost four round trips (begin, read, append, commit).
     *
     * @throws ConcurrencyConflict (as the Uni's failure) when the aggregate moved on meanwhile:
     *         nothing of any turn was appended
     */
    <S> Uni<List<Outcome<S>>> decideInTurn(Decider<?, S, ?> decider, String aggregateId, List<Turn<S>> turns) {
        if (SessionSql.inTransactionOrSession()) {
            return SessionSql.inTransaction(() -> folds.fold(decider, aggregateId)
                    .flatMap(folded -> append(decider, aggregateId, decide(decider, aggregateId, turns, folded), null)));
        }
        Decider.Snapshot<S> snapshot = decider.snapshot().orElse(null);
        KeptStates.Kept<S> start = snapshot == null ? null : kept.get(snapshot, aggregateId);
        if (start != null) {
            Decisions<S> decisions = decide(decider, aggregateId, turns, new EventStore.Folded<>(start.state(), start.version()));
            if (!decisions.events().isEmpty()) {
                return append(decider, aggregateId, decisions, start.lastEventId())
                        .invoke(() -> kept.counted(KeptStates.Start.KEPT))
                        .onFailure(ConcurrencyConflict.class).recoverWithUni(() -> onTheHistory(decider, aggregateId, turns));
            }
        }
        return onTheHistory(decider, aggregateId, turns);
    }

    /** {@code turns} decided on the aggregate as its history has it now, and appended in one statement. */
    private <S> Uni<List<Outcome<S>>> onTheHistory(Decider<?, S, ?> decider, String aggregateId, List<Turn<S>> turns) {
        return folds.fold(decider, aggregateId)
                .flatMap(folded -> append(decider, aggregateId, decide(decider, aggregateId, turns, folded), null));
    }

    /** What {@code turns} decided on a folded state: each turn's outcome, and all their events to append. */
    private record Decisions<S>(EventStore.Folded<S> folded, List<Outcome<S>> outcomes,
            List<EventEnvelope<LifecycleEvent>> events, List<String> payloads, S last) {
    }

    /** Decides {@code turns} in order on {@code folded}, each on the state the ones before it left. */
    private <S> Decisions<S> decide(Decider<?, S, ?> decider, String aggregateId, List<Turn<S>> turns,
            EventStore.Folded<S> folded) {
        boolean keeps = decider.snapshot().isPresent();
        Instant now = store.now();
        S state = folded.state();
        long version = folded.version();
        List<EventEnvelope<LifecycleEvent>> all = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        List<Outcome<S>> outcomes = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            Turn<S> turn = turns.get(i);
            S before = state;
            try {
                List<EventEnvelope<LifecycleEvent>> appended = store.envelopes(aggregateId, version, turn.actor(),
                        turn.decision().apply(before), now);
                // Written here, not with the others: an event that cannot be written fails its
                // own command only.
                List<String> written = EventStore.payloads(appended);
                // The next turn is decided on this one's state; a lone command of a decider
                // that keeps no state needs none.
                S after = before;
                if (keeps || i < turns.size() - 1) {
                    for (EventEnvelope<LifecycleEvent> event : appended) {
                        after = decider.evolve(after, event);
                    }
                }
                all.addAll(appended);
                payloads.addAll(written);
                version += appended.size();
                state = after;
                outcomes.add(new Outcome<>(before, appended, null));
            } catch (RuntimeException refused) {
                outcomes.add(new Outcome<>(before, List.of(), refused));
            }
        }
        return new Decisions<>(folded, outcomes, all, payloads, state);
    }

    /**
     * Appends what {@code decisions} decided after the version they were decided at (and, when
     * {@code lastEvent} is given, only if the event there is still that one), then keeps the state
     * they left.
     */
    private <S> Uni<List<Outcome<S>>> append(Decider<?, S, ?> decider, String aggregateId, Decisions<S> decisions,
            UUID lastEvent) {
        List<EventEnvelope<LifecycleEvent>> all = decisions.events();
        long version = decisions.folded().version();
        return store.insert(aggregateId, version, lastEvent, all, decisions.payloads())
                .call(() -> all.isEmpty() ? Uni.createFrom().voidItem()
                        : keepState(decider, aggregateId, version, decisions.last(), all.get(all.size() - 1)))
                .replaceWith(decisions.outcomes());
    }

    /**
     * Keeps {@code state}, the aggregate's after {@code last}, in memory for the aggregate's next
     * command and, each time the version passes a multiple of {@code pvl.event-store.snapshot-every}
     * since {@code foldedVersion}, as its snapshot: in the caller's transaction, or, after an append
     * that committed by itself, in a statement of its own whose failure does not fail the command.
     */
    private <S> Uni<Void> keepState(Decider<?, S, ?> decider, String aggregateId, long foldedVersion, S state,
            EventEnvelope<?> last) {
        Decider.Snapshot<S> snapshot = decider.snapshot().orElse(null);
        if (snapshot == null) {
            return Uni.createFrom().voidItem();
        }
        // In a transaction, kept before its commit: should it roll back, the next fold (or append)
        // finds another event (or none) at this version and does not use it.
        kept.keep(snapshot, aggregateId, new KeptStates.Kept<>(state, last.sequence(), last.id()));
        long every = config.snapshotEvery();
        if (last.sequence() / every == foldedVersion / every) {
            return Uni.createFrom().voidItem();
        }
        boolean inTransaction = SessionSql.inTransactionOrSession();
        return Uni.createFrom().item(() -> EventJson.writeState(state))
                .flatMap(json -> SessionSql.update("insert into snapshots (aggregate_id, name, version, state) "
                                + "values ($1, $2, $3, $4) on conflict (aggregate_id, name) do update set "
                                + "version = excluded.version, state = excluded.state "
                                + "where snapshots.version < excluded.version",
                        aggregateId, snapshot.name(), last.sequence(), json))
                .onFailure(failure -> !inTransaction).recoverWithItem(failure -> {
                    // The events have committed already: the command is done, and the next
                    // snapshot (or a longer fold) makes up for this one.
                    LOG.warnf("the %s snapshot of %s at %d was not written (%s); the command stands",
                            snapshot.name(), aggregateId, last.sequence(), failure.toString());
                    return 0;
                })
                .replaceWithVoid();
    }
}
