package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain SQL on the connection of the current Hibernate Reactive session, so in its transaction:
 * PostgreSQL's own {@code $1, $2 ...} parameters, rows as {@code Object[]} of the reactive
 * client's values (uuid as UUID, bigint as Long, timestamptz as OffsetDateTime, text as String).
 *
 * <p>Why not {@code session.createNativeQuery}: Hibernate 7.2 caches a native select's plan under
 * a key that does not equal the one cached by the execution before (its result mapping compares
 * unequal), so every execution adds an entry with the same hash until the plan cache is full
 * (2,047 keys in each service, for a handful of statements), and every lookup then walks all of
 * them comparing the SQL text. Measured under the
 * command benchmark, that walk was 10-30 % of each service's CPU. The statements on the paths of
 * every command and every consumed event go through here instead; they are prepared and cached by
 * the reactive client itself, so a list of values is one array parameter ({@code unnest($1::uuid[])}),
 * not a statement per length.
 *
 * <p>Nothing here flushes the session: use it where the session holds no pending entity changes
 * that the statement should see.
 */
public final class SessionSql {

    /** The rows {@code sql} returns (a select, or a write with {@code returning}). */
    public static Uni<List<Object[]>> select(String sql, Object... parameters) {
        return connection().flatMap(connection -> Uni.createFrom()
                .completionStage(() -> connection.select(sql, parameters))
                .map(result -> {
                    List<Object[]> rows = new ArrayList<>(result.size());
                    result.forEachRemaining(rows::add);
                    return rows;
                }));
    }

    /** The number of rows {@code sql} wrote. */
    public static Uni<Integer> update(String sql, Object... parameters) {
        return connection().flatMap(connection -> Uni.createFrom()
                .completionStage(() -> connection.update(sql, parameters)));
    }

    private static Uni<ReactiveConnection> connection() {
        return Panache.getSession().map(SessionSql::connectionOf);
    }

    private static ReactiveConnection connectionOf(Mutiny.Session session) {
        if (session instanceof MutinySessionImpl impl) {
            return impl.getReactiveConnection();
        }
        throw new IllegalStateException("Not a Hibernate Reactive session: " + session.getClass().getName());
    }

    private SessionSql() {
    }
}
