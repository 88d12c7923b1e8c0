package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.orm.runtime.PersistenceUnitUtil;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.runtime.SessionOperations;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link EntitySessions} on Quarkus' Hibernate Reactive with Panache. Only ever loaded by name,
 * where Hibernate Reactive is on the class path.
 */
final class HibernateSessions implements EntitySessions {

    @Override
    public boolean current() {
        Context context = Vertx.currentContext();
        return context != null && VertxContext.isDuplicatedContext(context)
                && SessionOperations.getCurrentSession(PersistenceUnitUtil.DEFAULT_PERSISTENCE_UNIT_NAME) != null;
    }

    @Override
    public Uni<List<Object[]>> select(String sql, Object[] parameters) {
        return connection().flatMap(connection -> SessionSql.handedOn(() -> connection.select(sql, parameters))
                .map(result -> {
                    List<Object[]> rows = new ArrayList<>(result.size());
                    result.forEachRemaining(rows::add);
                    return rows;
                }));
    }

    @Override
    public Uni<Integer> update(String sql, Object[] parameters) {
        return connection().flatMap(connection -> Uni.createFrom()
                .completionStage(() -> connection.update(sql, parameters)));
    }

    @Override
    public <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return Panache.withTransaction(work);
    }

    @Override
    public boolean isConstraintViolation(Throwable failure) {
        return failure instanceof ConstraintViolationException;
    }

    private static Uni<ReactiveConnection> connection() {
        return Panache.getSession().map(HibernateSessions::connectionOf);
    }

    private static ReactiveConnection connectionOf(Mutiny.Session session) {
        if (session instanceof MutinySessionImpl impl) {
            return impl.getReactiveConnection();
        }
        throw new IllegalStateException("Not a Hibernate Reactive session: " + session.getClass().getName());
    }
}
