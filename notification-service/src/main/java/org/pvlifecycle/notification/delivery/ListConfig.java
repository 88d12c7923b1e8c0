package org.pvlifecycle.notification.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.list.*}: the mailing list that LIST subscriptions post to, and how often. */
@ConfigMapping(prefix = "pvl.list")
public interface ListConfig {

    /** The list's posting address; a LIST subscription names it (or nothing, meaning it). */
    @WithDefault("xen-devel@lists.xenproject.org")
    String address();

    /**
     * At most one message per proposal within this interval: notices arriving meanwhile wait and go
     * together in the next message. Tests shorten it.
     */
    @WithDefault("PT1H")
    Duration minInterval();
}
