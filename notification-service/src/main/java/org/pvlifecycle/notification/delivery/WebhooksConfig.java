package org.pvlifecycle.notification.delivery;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;
import java.util.Set;

/** {@code pvl.webhooks.*}: where webhooks may go. */
@ConfigMapping(prefix = "pvl.webhooks")
public interface WebhooksConfig {

    /** Host names or addresses allowed beside public ones (e.g. an in-cluster receiver); none by default. */
    Optional<Set<String>> allowedHosts();

    default Set<String> allowed() {
        return allowedHosts().orElse(Set.of());
    }
}
