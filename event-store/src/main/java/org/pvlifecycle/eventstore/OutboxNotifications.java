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
 * Wakes the {@link OutboxRelay} when PostgreSQL says new outbox rows committed (the trigger of
 * {@code V1_3__outbox_notify.sql} notifies {@code pvl_outbox_<schema>} from every transaction that
 * adds some). A wake-up from the command itself would come before its commit, when the relay
 * cannot see the rows yet, and they would wait for the next tick; a notification comes after the
 * commit, from this instance or any other. The relay's own tick stays the safety net: while this listener's
 * connection is away (it reconnects every second), the relay still runs at each tick.
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
