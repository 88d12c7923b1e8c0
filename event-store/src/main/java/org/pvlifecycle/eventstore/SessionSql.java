package org.pvlifecycle.eventstore;

import io.quarkus.arc.Arc;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Plain SQL in the current transaction: PostgreSQL's own {@code $1, $2 ...} parameters, rows as
 * {@code Object[]} of the reactive client's values (uuid as UUID, bigint as Long, timestamptz as
 * OffsetDateTime, text as String).
 *
 * <p>The transaction is the current Hibernate Reactive session's when there is one (the
 * innermost wins: a session opened inside the other kind is the current one; only the review
 * service has Hibernate Reactive, see {@link EntitySessions}), else the one
 * {@link #inTransaction} opened on the reactive client's pool. The paths of every consumed event
 * run in the second kind (a request's command needs none: its append is one statement, see
 * {@code CommandTurns.decideInTurn}): a Hibernate Reactive session and transaction around a handful of
 * plain statements cost more CPU than the statements themselves (its session, its persistence
 * context, its flush and its own wrapping of every call, in a quarter to a third of the samples
 * of a consumer's profile). Code that works with entities keeps its Hibernate session; code that
 * calls this inside it runs on that session's connection, so in its transaction.
 *
 * <p>Why not {@code session.createNativeQuery}: Hibernate 7.2 caches a native select's plan under
 * a key that does not equal the one cached by the execution before (its result mapping compares
 * unequal), so every execution adds an entry with the same hash until the plan cache is full
 * (2,047 keys in each service, for a handful of statements), and every lookup then walks all of
 * them comparing the SQL text. The statements here are prepared and cached by the reactive client
 * itself, so a list of values is one array parameter ({@code unnest($1::uuid[])}), not a
 * statement per length.
 *
 * <p>Nothing here flushes a Hibernate session: use it where the session holds no pending entity
 * changes that the statement should see.
 */
public final class SessionSql {
    private static final Logger LOG = Logger.getLogger(SessionSql.class);

    /** Where {@link #inTransaction} keeps its connection: the request's (or event's) own Vert.x context. */
    private static final String CONNECTION = SessionSql.class.getName() + ".connection";

    /**
     * Where the outermost transaction on a context keeps what is to run once it has committed
     * ({@link #afterCommit}); a transaction that finds one there is inside another.
     */
    private static final String AFTER_COMMIT = SessionSql.class.getName() + ".afterCommit";

    private static volatile Pool pool;

    /** The rows {@code sql} returns (a select, or a write with {@code returning}). */
    public static Uni<List<Object[]>> select(String sql, Object... parameters) {
        // Which transaction is current is asked when the statement is to run, not when it is built.
        return Uni.createFrom().deferred(() -> selectNow(sql, parameters));
    }

    private static Uni<List<Object[]>> selectNow(String sql, Object[] parameters) {
        EntitySessions sessions = currentSessions();
        if (sessions != null) {
            return sessions.select(sql, parameters);
        }
        SqlConnection plain = plainConnection();
        if (plain != null) {
            return rows(plain, sql, parameters);
        }
        // No transaction: one statement on its own connection, as it commits by itself.
        return onItsOwnConnection(sql, parameters).map(SessionSql::rows);
    }

    /** The number of rows {@code sql} wrote. */
    public static Uni<Integer> update(String sql, Object... parameters) {
        return Uni.createFrom().deferred(() -> updateNow(sql, parameters));
    }

    private static Uni<Integer> updateNow(String sql, Object[] parameters) {
        EntitySessions sessions = currentSessions();
        if (sessions != null) {
            return sessions.update(sql, parameters);
        }
        SqlConnection plain = plainConnection();
        if (plain != null) {
            return rowCount(plain, sql, parameters);
        }
        return onItsOwnConnection(sql, parameters).map(RowSet::rowCount);
    }

    /**
     * {@code work} in a transaction: the current one when there is one (this class's, or the
     * current Hibernate Reactive session's), else a new one on a connection of the pool, which
     * commits when {@code work}'s Uni succeeds and rolls back when it fails. Inside it,
     * {@link #select} and {@link #update} run on its connection. Code that needs Hibernate
     * entities uses {@link #inEntityTransaction} instead: a Hibernate session opened inside this
     * transaction would be on another connection, so outside it.
     *
     * <p>Call it on a Vert.x duplicated context (a request's or a consumed message's), as
     * Hibernate Reactive's own transactions require too.
     */
    public static <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> transactionNow(work));
    }

    private static <T> Uni<T> transactionNow(Supplier<Uni<T>> work) {
        return withActionsAfterCommit(() -> joinOrBegin(work));
    }

    /**
     * {@code transaction}, which joins the current transaction or commits one of its own. When it
     * is the outermost here, what its statements asked for after the commit ({@link #afterCommit})
     * runs once it has committed, in the order asked, and never when it rolled back.
     */
    private static <T> Uni<T> withActionsAfterCommit(Supplier<Uni<T>> transaction) {
        Context context = Vertx.currentContext();
        if (context == null || !VertxContext.isDuplicatedContext(context) || context.getLocal(AFTER_COMMIT) != null) {
            return transaction.get();
        }
        Set<Runnable> actions = new LinkedHashSet<>();
        context.putLocal(AFTER_COMMIT, actions);
        return Uni.createFrom().deferred(transaction::get)
                .onItem().invoke(() -> {
                    context.removeLocal(AFTER_COMMIT);
                    actions.forEach(SessionSql::runAfterCommit);
                })
                .onTermination().invoke(() -> context.removeLocal(AFTER_COMMIT));
    }

    /**
     * Runs {@code action} once the transaction current here has committed: at once after the
     * commit, on this context, and not at all should it roll back. The same action asked for twice
     * in one transaction runs once. False, and nothing is kept, when no transaction of
     * {@link #inTransaction} or {@link #inEntityTransaction} is current here: the caller does
     * without.
     */
    public static boolean afterCommit(Runnable action) {
        Context context = Vertx.currentContext();
        if (context == null || !VertxContext.isDuplicatedContext(context)) {
            return false;
        }
        Set<Runnable> actions = context.getLocal(AFTER_COMMIT);
        if (actions == null) {
            return false;
        }
        actions.add(action);
        return true;
    }

    private static void runAfterCommit(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            // The transaction committed: its work is done whatever an action after it does.
            LOG.warnf(e, "an action after a commit failed");
        }
    }

    private static <T> Uni<T> joinOrBegin(Supplier<Uni<T>> work) {
        EntitySessions sessions = currentSessions();
        if (sessions != null) {
            return sessions.inTransaction(work);
        }
        if (plainConnection() != null) {
            return Uni.createFrom().deferred(work::get);
        }
        Context context = Vertx.currentContext();
        if (context == null || !VertxContext.isDuplicatedContext(context)) {
            return Uni.createFrom().failure(new IllegalStateException(
                    "a transaction needs a Vert.x duplicated context; on " + context));
        }
        return Uni.createFrom().completionStage(() -> pool().withTransaction(connection -> {
            context.putLocal(CONNECTION, connection);
            Uni<T> done;
            try {
                done = work.get();
            } catch (RuntimeException e) {
                done = Uni.createFrom().failure(e);
            }
            return Future.fromCompletionStage(done.eventually(() -> context.removeLocal(CONNECTION))
                    .subscribeAsCompletionStage(), context);
        }).toCompletionStage());
    }

    /** Whether a transaction of this class's or a Hibernate Reactive session is current. */
    public static boolean inTransactionOrSession() {
        return plainConnection() != null || currentSessions() != null;
    }

    /**
     * {@code work} in a Hibernate Reactive session's transaction, for effects that work with
     * entities: the current session's, else a new one. Only in a service whose build has
     * Hibernate Reactive (see {@link EntitySessions}).
     */
    public static <T> Uni<T> inEntityTransaction(Supplier<Uni<T>> work) {
        EntitySessions sessions = EntitySessions.present();
        if (sessions == null) {
            return Uni.createFrom().failure(new IllegalStateException(
                    "work with entities needs Hibernate Reactive, which this service's build does not have"));
        }
        return withActionsAfterCommit(() -> sessions.inTransaction(work));
    }

    /**
     * Whether this service's build has Hibernate Reactive (the review service), so
     * that effects and commands can work with entities ({@link #inEntityTransaction}).
     */
    public static boolean hasEntities() {
        return EntitySessions.present() != null;
    }

    private static SqlConnection plainConnection() {
        Context context = Vertx.currentContext();
        return context != null && VertxContext.isDuplicatedContext(context) ? context.getLocal(CONNECTION) : null;
    }

    /** Hibernate Reactive's sessions when one of them is current here, else null. */
    private static EntitySessions currentSessions() {
        EntitySessions sessions = EntitySessions.present();
        return sessions != null && sessions.current() ? sessions : null;
    }

    private static Uni<List<Object[]>> rows(SqlClient client, String sql, Object[] parameters) {
        return execute(client, sql, parameters).map(SessionSql::rows);
    }

    private static List<Object[]> rows(RowSet<Row> result) {
        List<Object[]> rows = new ArrayList<>(result.size());
        for (Row row : result) {
            Object[] values = new Object[row.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.getValue(i);
            }
            rows.add(values);
        }
        return rows;
    }

    /**
     * One statement on a connection taken for it alone. Not {@code pool.preparedQuery}: while
     * PostgreSQL is away, that fails the statement and then has Vert.x log an uncaught "Result is
     * already complete" on the event loop; a connection taken first fails cleanly, once.
     */
    private static Uni<RowSet<Row>> onItsOwnConnection(String sql, Object[] parameters) {
        return settled(() -> pool()
                .withConnection(connection -> connection.preparedQuery(sql).execute(Tuple.wrap(parameters))));
    }

    private static Uni<Integer> rowCount(SqlClient client, String sql, Object[] parameters) {
        return execute(client, sql, parameters).map(RowSet::rowCount);
    }

    private static Uni<RowSet<Row>> execute(SqlClient client, String sql, Object[] parameters) {
        return settled(() -> client.preparedQuery(sql).execute(Tuple.wrap(parameters)));
    }

    /**
     * The result of {@code statement}, handed on and not kept. Not through a
     * {@code CompletionStage}: the future keeps its result, and a Mutiny subscription to it keeps
     * the future for as long as the chain that ran the statement runs. A refresh that read a
     * proposal's log page by page, in a batch that refreshed thirty proposals, kept every page's
     * rows until the batch committed (180 pages of 500 rows), and filled the projection's heap.
     */
    private static Uni<RowSet<Row>> settled(Supplier<Future<RowSet<Row>>> statement) {
        return Uni.createFrom().emitter(emitter -> statement.get().onComplete(result -> {
            if (result.succeeded()) {
                emitter.complete(result.result());
            } else {
                emitter.fail(result.cause());
            }
        }));
    }

    /** {@link #settled} for a statement that answers with a {@code CompletionStage} (Hibernate Reactive's connection). */
    static <T> Uni<T> handedOn(Supplier<java.util.concurrent.CompletionStage<T>> statement) {
        return Uni.createFrom().emitter(emitter -> statement.get().whenComplete((result, failure) -> {
            if (failure == null) {
                emitter.complete(result);
            } else {
                emitter.fail(failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        }));
    }

    private static Pool pool() {
        Pool known = pool;
        if (known == null) {
            known = Arc.container().instance(Pool.class).get();
            pool = known;
        }
        return known;
    }

    private SessionSql() {
    }
}
