package org.pvlifecycle.conventions;

import io.vertx.pgclient.PgException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure of the infrastructure (PostgreSQL or Kafka away, restarting, refusing
 * connections, too slow to answer) from a failure of the request or the event itself. The first
 * kind passes by itself: a request gets a 503 and tries again later, an event is applied again
 * until it goes through. The second kind does not: a request gets its 4xx or a logged 500, an
 * event goes to the dead-letter topic.
 */
public final class DependencyDown {

    /**
     * PostgreSQL's SQLSTATEs that say the server, not the statement, is the problem: class 08
     * (connection exception), 57P01-57P03 (shut down by an administrator or a crash, cannot
     * connect now), 53300 (too many connections) and 57014 (cancelled by statement_timeout).
     */
    private static final Set<String> SERVER_STATES = Set.of("57P01", "57P02", "57P03", "53300", "57014");

    /** Classes, by name, of the drivers' own signals that a connection is gone or never came. */
    private static final Set<String> CONNECTION_LOST = Set.of(
            "io.vertx.sqlclient.ClosedConnectionException",
            "io.vertx.core.impl.NoStackTraceTimeoutException",
            "io.netty.channel.ConnectTimeoutException",
            "io.smallrye.mutiny.TimeoutException",
            "org.apache.kafka.common.errors.TimeoutException",
            "org.apache.kafka.common.errors.DisconnectException",
            "org.apache.kafka.common.errors.NetworkException");

    /** True when {@code failure}, or anything it was caused by, says a dependency is unreachable. */
    public static boolean is(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof ClosedChannelException || t instanceof TimeoutException) {
                return true;
            }
            // A peer gone mid-write: the JDK says SocketException on a read, a plain IOException
            // on a write (PostgreSQL killed while a statement was being sent).
            if (t instanceof IOException && t.getMessage() != null && isResetOrBrokenPipe(t.getMessage())) {
                return true;
            }
            if (CONNECTION_LOST.contains(t.getClass().getName())) {
                return true;
            }
            String state = sqlState(t);
            if (state != null && (state.startsWith("08") || SERVER_STATES.contains(state))) {
                return true;
            }
            if (isPoolGivingUp(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isResetOrBrokenPipe(String message) {
        String lower = message.toLowerCase();
        return lower.contains("connection reset") || lower.contains("broken pipe");
    }

    /**
     * The pool's and the SQL client's own words when a connection cannot be had in time, is
     * closed, or went away with statements still queued on it. The last two come as a bare
     * {@code Throwable} (Vert.x's NoStackTraceThrowable), neither an exception class nor a SQLSTATE
     * to go by: a statement queued on a connection that PostgreSQL's immediate shutdown had just
     * closed met "Connection is not active now, current status: CLOSED" in PostgresOutageIT.
     */
    private static boolean isPoolGivingUp(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return false;
        }
        return message.equals("Timeout") || message.contains("Connection was closed")
                || message.contains("Pool closed") || message.contains("Connection refused")
                || message.contains("Failed to read any response from the server")
                || message.startsWith("Connection is not active now")
                || message.startsWith("Pending requests failed to be sent due to connection has been closed");
    }

    /**
     * The SQLSTATE the failure carries: the reactive client's own exception, or the
     * {@link SQLException} Hibernate Reactive makes of it for a statement run through a session
     * (it keeps the state but not the client's exception).
     */
    private static String sqlState(Throwable t) {
        if (t instanceof PgException pg) {
            return pg.getSqlState();
        }
        return t instanceof SQLException sql ? sql.getSQLState() : null;
    }

    private DependencyDown() {
    }
}
