package org.pvlifecycle.eventstore;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code pvl.event-store.*}: what the event store writes. */
@ConfigMapping(prefix = "pvl.event-store")
public interface EventStoreConfig {
    /** The CloudEvents source of what this service writes, e.g. {@code /proposal-service}. */
    String source();

    /** A decider's state is kept as a snapshot each time an aggregate's version passes a multiple of this. */
    @WithDefault("100")
    long snapshotEvery();

    /**
     * How many aggregates' latest states an instance keeps in memory between commands (see
     * {@link KeptStates}); 0 keeps none.
     */
    @WithDefault("10000")
    int keptStates();

    /**
     * How many of an instance's requests on one aggregate, waiting for the transaction before them,
     * are decided together in the next one (see {@link CommandQueues}); 1 takes them one at a time.
     */
    @WithDefault("16")
    int commandsPerTransaction();
}
