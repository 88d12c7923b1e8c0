package org.pvlifecycle.consumer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.impl.NoStackTraceThrowable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Reads that fail as the reactive SQL client fails them: not always with an exception, sometimes
 * with a bare Throwable that carries only a message.
 */
@Path("/test-failures")
public class TestFailuresResource {

    /** What the client says of a statement queued on a connection PostgreSQL has just closed. */
    @GET
    @Path("closed-connection")
    public Uni<Long> closedConnection() {
        return Uni.createFrom().failure(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"));
    }

    /** A Throwable that is neither an exception nor a dependency away: a bug of ours. */
    @GET
    @Path("bare-throwable")
    public Uni<Long> bareThrowable() {
        return Uni.createFrom().failure(new Throwable("a failure that is not an exception"));
    }
}
