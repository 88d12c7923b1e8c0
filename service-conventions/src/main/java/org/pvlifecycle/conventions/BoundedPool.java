package org.pvlifecycle.conventions;

import jakarta.inject.Inject;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL pool with bounded waits, so that a database that is away costs a request a
 * fast 503 rather than the driver's defaults (60 s to connect, 30 s queued for a connection).
 * Quarkus builds the options from {@code quarkus.datasource.reactive.*}; this only bounds them.
 * A statement's own bound is PostgreSQL's {@code statement_timeout}, set in the shared config.
 */
@Singleton
public class BoundedPool implements PgPoolCreator {

    @Inject
    DatabaseConfig config;



    @Override
    public Pool create(Input input) {
        PoolOptions pool = input.poolOptions()
                .setConnectionTimeout((int) config.poolWait().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setConnectTimeout((int) config.connectTimeout().toMillis());
        }
        return PgBuilder.pool()
                .with(pool)
                .connectingTo(List.<SqlConnectOptions>copyOf(input.pgConnectOptionsList()))
                .using(input.vertx())
                .build();
    }
}
