package org.pvlifecycle.conventions;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import org.hibernate.HibernateException;
import org.hibernate.exception.GenericJDBCException;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.UnreadableEventException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What counts as a dependency being away (a 503, a retry) and what is the request's or event's own fault. */
class DependencyDownTest {

    static PgException postgres(String sqlState) {
        return new PgException("server said so", "FATAL", sqlState, null);
    }

    @Test
    void anUnreachableOrRestartingDatabaseIsAnOutageHoweverItIsWrapped() {
        assertThat(DependencyDown.is(new CompletionException(new HibernateException(new ConnectException("Connection refused")))))
                .isTrue();
        assertThat(DependencyDown.is(postgres("57P01"))).as("terminated by an immediate shutdown").isTrue();
        assertThat(DependencyDown.is(postgres("57P03"))).as("the database system is starting up").isTrue();
        assertThat(DependencyDown.is(postgres("08006"))).as("connection failure").isTrue();
        assertThat(DependencyDown.is(postgres("57014"))).as("statement_timeout").isTrue();
        assertThat(DependencyDown.is(new RuntimeException(new java.util.concurrent.TimeoutException()))).isTrue();
        // As PostgresOutageIT met it: a statement being written when PostgreSQL was killed.
        assertThat(DependencyDown.is(new CompletionException(new java.io.IOException("Connection reset by peer"))))
                .as("reset while writing").isTrue();
        assertThat(DependencyDown.is(new java.io.IOException("Broken pipe"))).as("broken pipe").isTrue();
        assertThat(DependencyDown.is(new java.net.SocketException("Connection reset"))).as("reset while reading").isTrue();
        assertThat(DependencyDown.is(new java.io.IOException("No space left on device"))).isFalse();
    }

    /**
     * The SQL client fails a statement queued on a connection that has just closed with a bare
     * Throwable (no exception class, no SQLSTATE); PostgresOutageIT met the first during an
     * immediate shutdown, answered then with a 500.
     */
    @Test
    void aStatementQueuedOnAClosedConnectionIsAnOutage() {
        assertThat(DependencyDown.is(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED")))
                .isTrue();
        assertThat(DependencyDown.is(new CompletionException(new NoStackTraceThrowable(
                "Pending requests failed to be sent due to connection has been closed.")))).isTrue();
        assertThat(DependencyDown.is(new NoStackTraceThrowable("The number of parameters (2) exceeds the maximum")))
                .as("a statement the client cannot prepare is not").isFalse();
    }

    /** How a statement's failure reaches a caller through a Hibernate Reactive session. */
    static RuntimeException throughASession(String sqlState) {
        return new CompletionException(new GenericJDBCException("could not execute statement",
                new SQLException("server said so", sqlState, 0)));
    }

    @Test
    void aStatementEndedByTheServerIsAnOutageThroughASessionToo() {
        assertThat(DependencyDown.is(throughASession("57P01"))).as("terminated by an immediate shutdown").isTrue();
        assertThat(DependencyDown.is(throughASession("57014"))).as("statement_timeout").isTrue();
        assertThat(DependencyDown.is(throughASession("08006"))).as("connection failure").isTrue();
        assertThat(DependencyDown.is(throughASession("23505"))).as("unique violation").isFalse();
        assertThat(DependencyDown.is(new SQLException("no state"))).isFalse();
    }

    @Test
    void aBrokenRuleOrBadDataIsNot() {
        assertThat(DependencyDown.is(postgres("23505"))).as("unique violation").isFalse();
        assertThat(DependencyDown.is(postgres("P0001"))).as("an exception raised by a trigger").isFalse();
        assertThat(DependencyDown.is(new IllegalStateException("a bug"))).isFalse();
        assertThat(DependencyDown.is(new UnreadableEventException("not a CloudEvent"))).isFalse();
        assertThat(DependencyDown.is(null)).isFalse();
    }
}
