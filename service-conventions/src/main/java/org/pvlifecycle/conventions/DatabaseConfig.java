package org.pvlifecycle.conventions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.database.*}: how long a request may wait for the database. */
@ConfigMapping(prefix = "pvl.database")
public interface DatabaseConfig {
    /** How long opening a connection may take before the attempt fails. */
    @WithDefault("PT1S")
    Duration connectTimeout();

    /** How long a request waits for a free connection from the pool before it fails. */
    @WithDefault("PT2S")
    Duration poolWait();
}
