package org.pvlifecycle.eventstore;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.decider.Decider;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The requests this instance is deciding on each aggregate, taken in turn instead of racing one
 * another. While a turn of requests is decided and appended for an aggregate, the requests that
 * come in for it wait; the next turn decides those (up to
 * {@code pvl.event-store.commands-per-transaction}) in their order of arrival, each on the state
 * the ones before it left, starting from one state for all of them (kept or folded, see
 * {@link CommandTurns#decideInTurn}), and appends what they decided in one statement.
 *
 * <p>Why: eight writers on one proposal used to fold, decide and append eight times over for each
 * event that landed, seven of them losing the race and starting again, so one aggregate took no
 * more commands than one transaction's latency allowed, and some writers got 409 after all their
 * attempts. A request on an aggregate nobody else is writing to runs at once, as before.
 *
 * <p>Each request's outcome is what it would have been alone, after the ones before it: its own
 * events and the state it was decided on, or its own refusal. Another instance's writes to the
 * aggregate still race with a turn here; the whole turn is then decided again on fresh
 * state, as a lone command is. Only deciders that keep snapshots are queued: their state depends on
 * their events alone, so one fold serves every command in the turn.
 */
@ApplicationScoped
@Startup
class CommandQueues {
    private static final Logger LOG = Logger.getLogger(CommandQueues.class);

    /**
     * A request waiting for its turn, with the Vert.x context of the request it answers; {@code gone}
     * once nobody waits for its answer any more (the client went away), so it is not decided.
     */
    private record Waiting<S>(Decider<?, S, ?> decider, CommandTurns.Turn<S> turn, int attempts, Context context,
            UniEmitter<? super CommandTurns.Outcome<S>> emitter, AtomicBoolean gone) {
    }

    private record Key(String name, String aggregateId) {
    }

    @Inject
    CommandTurns commandTurns;
    @Inject
    EventStoreConfig config;
    @Inject
    MeterRegistry registry;

    /** An aggregate has an entry while a transaction runs for it: the requests waiting behind it. */
    private final Map<Key, ArrayDeque<Waiting<?>>> aggregates = new HashMap<>();
    private int waitingCount;
    private DistributionSummary perTransaction;

    @PostConstruct
    void meters() {
        registry.gauge("pvl.event.store.waiting.commands", this, queues -> queues.waiting());
        perTransaction = DistributionSummary.builder("pvl.event.store.commands.per.transaction")
                .description("How many requests on one aggregate were decided in one turn, appended in one statement")
                .register(registry);
    }

    /**
     * {@code turn} on {@code aggregateId}, decided once the instance's earlier requests on it are;
     * its result is delivered on {@code context}, the caller's.
     */
    <C, S, E extends LifecycleEvent> Uni<Decided<S, E>> submit(Decider<C, S, E> decider, String aggregateId,
            CommandTurns.Turn<S> turn, int attempts, Context context) {
        Key key = new Key(decider.snapshot().orElseThrow().name(), aggregateId);
        return Uni.createFrom().<CommandTurns.Outcome<S>>emitter(emitter -> {
            Waiting<S> waiting = new Waiting<>(decider, turn, attempts, context, emitter, new AtomicBoolean());
            // Also on the answer itself, which changes nothing then: it is only read before a turn.
            emitter.onTermination(() -> waiting.gone().set(true));
            boolean runsNow;
            synchronized (this) {
                ArrayDeque<Waiting<?>> queue = aggregates.get(key);
                runsNow = queue == null;
                if (runsNow) {
                    aggregates.put(key, new ArrayDeque<>());
                } else {
                    queue.add(waiting);
                    waitingCount++;
                }
            }
            if (runsNow) {
                start(key, List.of(waiting));
            }
        }).map(CommandTurns.Outcome::decided);
    }

    private synchronized int waiting() {
        return waitingCount;
    }

    /**
     * Runs {@code turns} on a duplicated context of their own, made from the first one's: the
     * transaction is theirs, never a session some request left on its context, and what it logs is
     * not told as one request's.
     */
    private void start(Key key, List<Waiting<?>> turns) {
        Context context = VertxContext.createNewDuplicatedContext(turns.get(0).context());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> run(key, turns));
    }

    /** Decides {@code turns} in one transaction (again after a lost race), answers each, then takes the next. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void run(Key key, List<Waiting<?>> turns) {
        perTransaction.record(turns.size());
        Waiting<Object> first = (Waiting<Object>) turns.get(0);
        List<CommandTurns.Turn<Object>> decided = new ArrayList<>(turns.size());
        int attempts = 1;
        for (Waiting<?> waiting : turns) {
            decided.add((CommandTurns.Turn<Object>) waiting.turn());
            attempts = Math.max(attempts, waiting.attempts());
        }
        Uni<List<CommandTurns.Outcome<Object>>> once = Uni.createFrom()
                .deferred(() -> commandTurns.decideInTurn(first.decider(), key.aggregateId(), decided));
        Uni<List<CommandTurns.Outcome<Object>>> retried = attempts > 1
                ? once.onFailure(ConcurrencyConflict.class).retry().atMost(attempts - 1)
                : once;
        retried.subscribe().with(outcomes -> {
            try {
                for (int i = 0; i < turns.size(); i++) {
                    Waiting waiting = turns.get(i);
                    CommandTurns.Outcome outcome = outcomes.get(i);
                    answer(waiting, () -> waiting.emitter().complete(outcome));
                }
            } finally {
                next(key);
            }
        }, failure -> {
            try {
                for (Waiting<?> waiting : turns) {
                    answer(waiting, () -> waiting.emitter().fail(failure));
                }
            } finally {
                next(key);
            }
        });
    }

    /** Answers one request on its own context; a context that takes no more tasks fails only that answer. */
    private static void answer(Waiting<?> waiting, Runnable answer) {
        try {
            waiting.context().runOnContext(ignored -> answer.run());
        } catch (RuntimeException e) {
            LOG.warnf(e, "a command's answer could not be delivered");
        }
    }

    /** Starts the next transaction on the aggregate, on the context of its first request, if any wait. */
    private void next(Key key) {
        List<Waiting<?>> turns = new ArrayList<>();
        int most = Math.max(1, config.commandsPerTransaction());
        synchronized (this) {
            ArrayDeque<Waiting<?>> queue = aggregates.get(key);
            while (!queue.isEmpty() && turns.size() < most) {
                Waiting<?> waiting = queue.poll();
                waitingCount--;
                // A request nobody waits for any more is not decided: its client may have retried.
                if (!waiting.gone().get()) {
                    turns.add(waiting);
                }
            }
            if (turns.isEmpty()) {
                aggregates.remove(key);
                return;
            }
        }
        try {
            start(key, turns);
        } catch (RuntimeException e) {
            // Not expected (a context takes tasks until Vert.x closes); the waiting requests must
            // not wait for ever.
            LOG.errorf(e, "could not run the waiting commands on %s", key.aggregateId());
            turns.forEach(waiting -> waiting.emitter().fail(e));
            next(key);
        }
    }
}
