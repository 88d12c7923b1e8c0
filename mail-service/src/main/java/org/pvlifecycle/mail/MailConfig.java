package org.pvlifecycle.mail;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code pvl.mail.*}: which list is applied, where the review service is, and how failed actions are retried. */
@ConfigMapping(prefix = "pvl.mail")
public interface MailConfig {

    /** The {@code List-Id} whose messages are applied; messages of any other list are ignored. */
    @WithDefault("xen-devel.lists.xenproject.org")
    String listId();

    /**
     * A file holding the mail gateway's own token (a JWT whose {@code groups} hold {@code mail-gateway}),
     * read again whenever it changes, so that a rotated token is used without a restart. Preferred to
     * {@link #gatewayToken()}, which puts the token itself in the configuration.
     */
    Optional<Path> gatewayTokenFile();

    /** The mail gateway's token itself, when no {@link #gatewayTokenFile() file} is configured. */
    Optional<String> gatewayToken();

    Review review();

    Retry retry();

    interface Review {
        /** The review service's address. */
        @WithDefault("http://localhost:8082")
        String url();

        /** How long one command may take before it counts as failed (and is retried). */
        @WithDefault("PT10S")
        Duration timeout();
    }

    interface Retry {
        /** How often pending messages are looked for. */
        @WithDefault("5s")
        String pollInterval();

        /** The pause after the first failed attempt; it doubles up to {@link #cap()}. */
        @WithDefault("PT5S")
        Duration base();

        @WithDefault("PT10M")
        Duration cap();

        /**
         * How long a message being applied is left to the instance applying it before another takes
         * it over (that instance may have stopped half-way).
         */
        @WithDefault("PT2M")
        Duration lease();

        /**
         * How long to wait before sending again a step whose earlier attempt may have been applied
         * (the review service did not answer): long enough for its event to arrive and say so.
         */
        @WithDefault("PT1M")
        Duration settle();
    }
}
