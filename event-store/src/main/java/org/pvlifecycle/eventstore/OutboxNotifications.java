package org.pvlifecycle.eventstore;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Wakes the {@link OutboxRelay} once new outbox rows have committed, so they are published at
 * once rather than at its next tick. The rows this instance commits wake its own relay right after
 * the commit ({@link #committed}, which {@link EventStore} asks {@link SessionSql#afterCommit} for);
 * a wake-up before the commit would find nothing to publish. When another instance holds the
 * relay's lease, it is told by a notification on {@code pvl_outbox_<schema>}, to which every
 * instance listens, sent after the commit and outside it.
 *
 * <p>Why not a notification from the writing transaction itself (a trigger on the outbox did
 * that before): PostgreSQL serializes the commits of every transaction that notifies, in the
 * whole database, and holds that lock through the commit's flush to disk, so the commands of all
 * six services committed one flush after another instead of sharing flushes. Eight connections
 * inserting a row per transaction into the stack's PostgreSQL (pgbench, 2 cores) committed
 * 7,600-7,900 times a second, and 1,900-2,100 with a notification in each transaction. The
 * notification sent here commits without waiting for the disk: it carries no data, and one lost
 * in a crash costs a tick.
 *
 * <p>The relay's own tick stays the safety net: while this listener's connection is away (it
 * reconnects every second), the relay still runs at each tick.
 */
@ApplicationScoped
public class OutboxNotifications {
    private static final Logger LOG = Logger.getLogger(OutboxNotifications.class);

    @Inject
    Vertx vertx;
    @Inject
    OutboxRelay relay;
    @Inject
    OutboxConfig config;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;
    /** The schema the service writes its outbox in: the trigger names the channel after it. */
    @ConfigProperty(name = "quarkus.flyway.default-schema", defaultValue = "public")
    String schema;

    private volatile PgSubscriber subscriber;
    private volatile boolean stopped;

    /** The channel the trigger notifies for this service's schema. */
    public String channel() {
        return "pvl_outbox_" + schema;
    }

    /** Whether the listening connection is up (each reconnection catches up with one relay run). */
    public boolean listening() {
        PgSubscriber current = subscriber;
        return current != null && !current.closed() && current.actualConnection() != null;
    }

    /**
     * Outbox rows committed here: this instance's relay runs soon and, unless it holds the lease
     * (then it publishes them), the instance that holds it is told.
     */
    void committed() {
        if (!config.wakeOnAppend()) {
            return;
        }
        relay.wake();
        if (!relay.holdsLease()) {
            tellOtherInstances();
        }
    }

    /**
     * A notification on the channel, in a transaction of its own that does not wait for the disk
     * (see the class comment). One that fails is logged: the holder's tick publishes the rows.
     */
    void tellOtherInstances() {
        String notify = "begin; set local synchronous_commit = off; notify \"" + channel().replace("\"", "\"\"")
                + "\"; commit";
        pool.withConnection(connection -> connection.query(notify).execute())
                .subscribe().with(done -> { }, failure -> LOG.debugf(
                        "the outbox notification on %s was not sent (%s); the relay's tick publishes the rows",
                        channel(), failure.getMessage()));
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.wakeOnAppend()) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options)
                // After a lost connection: try again every second, for as long as it takes.
                .reconnectPolicy(retries -> 1000L);
        subscriber.channel(channel()).handler(payload -> relay.wake());
        subscriber.closeHandler(v -> {
            if (!stopped) {
                LOG.warnf("the outbox notifications stopped (%s); the relay runs at its ticks until they are back",
                        channel());
            }
        });
        connect();
    }

    private void connect() {
        subscriber.connect().onComplete(result -> {
            if (result.succeeded()) {
                LOG.infof("the outbox relay is woken by %s", channel());
                // What committed while nobody listened goes now rather than at the next tick.
                relay.wake();
            } else if (!stopped) {
                LOG.warnf("listening on %s failed (%s); trying again in 1 s", channel(), result.cause().getMessage());
                vertx.setTimer(1000, id -> connect());
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
