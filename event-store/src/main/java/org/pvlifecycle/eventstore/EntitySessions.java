package org.pvlifecycle.eventstore;

import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.function.Supplier;

/**
 * Hibernate Reactive's sessions, as {@link SessionSql} and the consumers see them, in a service
 * that keeps entities (the review service brings Hibernate Reactive into its build).
 * The other five leave it out: its boot is a fifth of the classes a service loads before it
 * answers, and its metamodel lives in every heap. There {@link #present()} is false, and no
 * Hibernate class is ever loaded: the one class that names them, {@link HibernateSessions}, is
 * found by name only when Hibernate Reactive is on the class path.
 */
interface EntitySessions {

    /** The sessions of this service's Hibernate Reactive, or null where the service has none. */
    static EntitySessions present() {
        return Found.SESSIONS;
    }

    /** Whether a Hibernate Reactive session is current on this Vert.x context. */
    boolean current();

    /** {@code sql} on the current session's connection, so in its transaction. */
    Uni<List<Object[]>> select(String sql, Object[] parameters);

    /** {@code sql} on the current session's connection; the number of rows it wrote. */
    Uni<Integer> update(String sql, Object[] parameters);

    /** {@code work} in a Hibernate Reactive transaction: the current one, else a new session's. */
    <T> Uni<T> inTransaction(Supplier<Uni<T>> work);

    /**
     * Whether {@code failure} is Hibernate's own wrapping of a constraint violation: a unique
     * violation, as an append that lost its race gives, or any other kind (the event store treats
     * them all as a lost race, as it did before Hibernate left the other services).
     */
    boolean isConstraintViolation(Throwable failure);

    /** Looked up once, when first asked. */
    final class Found {
        private static final EntitySessions SESSIONS = find();

        private static EntitySessions find() {
            ClassLoader loader = EntitySessions.class.getClassLoader();
            try {
                Class.forName("io.quarkus.hibernate.reactive.panache.Panache", false, loader);
            } catch (ClassNotFoundException e) {
                return null;
            }
            try {
                return (EntitySessions) Class.forName(EntitySessions.class.getPackageName() + ".HibernateSessions",
                        true, loader).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Hibernate Reactive is on the class path but its sessions cannot be used", e);
            }
        }

        private Found() {
        }
    }
}
