package org.pvlifecycle.notification.domain;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter. The ceiling after attempt n is min(cap, base · 2^(n-1)); the
 * delay is drawn uniformly from the upper half of it, [ceiling/2, ceiling]. Drawing from the
 * whole of [0, ceiling] ("full jitter") spreads retries a little more, but a later delay could
 * then be shorter than an earlier one; with the upper half each delay below the cap is at least
 * the one before it, and receivers recovering from an outage still see the retries spread out.
 */
public record RetryPolicy(Duration base, Duration cap, int maxAttempts) {

    public Duration delayAfter(int attempt, DoubleSupplier random) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() * (1L << Math.min(30, attempt - 1)));
        return Duration.ofMillis(ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2)));
    }

    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}
