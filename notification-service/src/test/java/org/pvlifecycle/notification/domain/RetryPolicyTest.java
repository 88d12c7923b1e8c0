package org.pvlifecycle.notification.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {
    static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(10), 8);

    @Property
    void aDelayLiesInTheUpperHalfOfItsExponentialCeiling(@ForAll @IntRange(min = 1, max = 40) int attempt,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
        long ceiling = Math.min(Duration.ofMinutes(10).toMillis(), 2000L << Math.min(30, attempt - 1));
        assertThat(POLICY.delayAfter(attempt, () -> random).toMillis()).isBetween(ceiling / 2, ceiling);
    }

    /** Below the cap (2 s · 2^8 > 10 min from the tenth attempt on) no delay is shorter than the one before. */
    @Property
    void noDelayIsShorterThanAnEarlierOne(@ForAll @IntRange(min = 1, max = 8) int attempt,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double earlier,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double later) {
        assertThat(POLICY.delayAfter(attempt + 1, () -> later))
                .isGreaterThanOrEqualTo(POLICY.delayAfter(attempt, () -> earlier));
    }

    @Property
    void theLastAttemptExhaustsThePolicy(@ForAll @IntRange(min = 1, max = 20) int attempts) {
        assertThat(POLICY.exhausted(attempts)).isEqualTo(attempts >= 8);
    }
}
