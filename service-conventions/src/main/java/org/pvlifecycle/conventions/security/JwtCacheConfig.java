package org.pvlifecycle.conventions.security;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/**
 * {@code pvl.jwt.cache.*}: how long and how many verified bearer tokens are reused (see
 * {@link VerifiedTokenCache}). The defaults, and why, are in service-conventions'
 * {@code META-INF/microprofile-config.properties}.
 */
@ConfigMapping(prefix = "pvl.jwt.cache")
public interface JwtCacheConfig {
    /** Off, every request verifies its token's signature again. */
    boolean enabled();

    /** How many verified tokens are kept at most. */
    int maxEntries();

    /**
     * How long after its verification a token is reused at most (its own {@code exp} may end it
     * sooner): a key taken out of the configured key set stops being accepted within this.
     */
    Duration maxAge();

    /** Longer tokens (in characters) are verified every time, not kept. */
    int maxTokenLength();
}
