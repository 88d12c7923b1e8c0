package org.pvlifecycle.notification.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pvl.notices.*}: what the notices say and when reminders go. */
@ConfigMapping(prefix = "pvl.notices")
public interface NoticesConfig {
    /** How long before an answered objection's deadline its author is reminded. */
    @WithDefault("P1D")
    Duration reminderBefore();

    /** Where the dashboard is: notices link to {@code <link-base>/proposals/<id>}. */
    @WithDefault("http://localhost:8084")
    String linkBase();
}
