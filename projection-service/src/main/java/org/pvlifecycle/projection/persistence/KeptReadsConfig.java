package org.pvlifecycle.projection.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.projection.kept-reads.*}: how long a page or view just read may be answered again from memory ({@link ReadModelChanges}). */
@ConfigMapping(prefix = "pvl.projection.kept-reads")
public interface KeptReadsConfig {
    /**
     * The oldest a kept answer may be, whatever else says it is current: the bound should the
     * tail's read of the log hang (a database that stopped answering without closing its
     * connections). The tests set it long, so that what they see of another instance's change can
     * only have come from the tail's read.
     */
    @WithDefault("PT1S")
    Duration maxAge();
}
