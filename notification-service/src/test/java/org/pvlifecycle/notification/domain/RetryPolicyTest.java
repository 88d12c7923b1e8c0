package org.pvlifecycle.notification.domain;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class RetryPolicyTest {
    static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(10), 8);
    static final int EXAMPLES = 1000;

    /**
     * A random draw in [0, 1), as {@link java.util.Random#nextDouble()} gives: one of 2^53 equally spaced
     * steps from 0 up to just below 1, so 1 itself, which no real draw returns, is never tried.
     */
    static Gen<Double> randomDraws() {
        return longs().between(0, (1L << 53) - 1).map(step -> step * 0x1.0p-53);
    }

    @Test
    void aDelayLiesInTheUpperHalfOfItsExponentialCeiling() {
        qt().withExamples(EXAMPLES).forAll(integers().between(1, 40), randomDraws()).checkAssert((attempt, random) -> {
            long ceiling = Math.min(Duration.ofMinutes(10).toMillis(), 2000L << Math.min(30, attempt - 1));
            assertThat(POLICY.delayAfter(attempt, () -> random).toMillis()).isBetween(ceiling / 2, ceiling);
        });
    }

    /** Below the cap (2 s · 2^8 > 10 min from the tenth attempt on) no delay is shorter than the one before. */
    @Test
    void noDelayIsShorterThanAnEarlierOne() {
        qt().withExamples(EXAMPLES).forAll(integers().between(1, 8), randomDraws(), randomDraws())
                .checkAssert((attempt, earlier, later) -> assertThat(POLICY.delayAfter(attempt + 1, () -> later))
                        .isGreaterThanOrEqualTo(POLICY.delayAfter(attempt, () -> earlier)));
    }

    @Test
    void theLastAttemptExhaustsThePolicy() {
        qt().withExamples(EXAMPLES).forAll(integers().between(1, 20))
                .checkAssert(attempts -> assertThat(POLICY.exhausted(attempts)).isEqualTo(attempts >= 8));
    }
}
