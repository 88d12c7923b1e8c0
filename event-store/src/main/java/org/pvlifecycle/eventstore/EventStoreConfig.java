package org.pvlifecycle.eventstore;

import io.smallrye.config.ConfigMapping;

/** {@code pvl.event-store.*}: what the event store writes. */
@ConfigMapping(prefix = "pvl.event-store")
public interface EventStoreConfig {
    /** The CloudEvents source of what this service writes, e.g. {@code /proposal-service}. */
    String source();
}
