package org.pvlifecycle.notification.domain;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base · 2^(n-1))]. */
public record RetryPolicy(Duration base, Duration cap, int maxAttempts) {

    public Duration delayAfter(int attempt, DoubleSupplier random) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() * (1L << Math.min(30, attempt - 1)));
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
    }

    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}
