package org.pvlifecycle.projection.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

class LogFrontierTest {
    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    static final Duration PATIENCE = Duration.ofSeconds(2);

    @Test
    void contiguousPositionsAreAllPassed() {
        assertThat(LogFrontier.at(40).advance(List.of(41L, 42L, 43L), T0, PATIENCE)).isEqualTo(LogFrontier.at(43));
    }

    @Test
    void aHoleHoldsTheFrontierUntilItFills() {
        LogFrontier waiting = LogFrontier.at(40).advance(List.of(42L, 43L), T0, PATIENCE);
        assertThat(waiting).isEqualTo(new LogFrontier(40, T0));
        // 41 commits a moment later: everything up to 43 goes.
        assertThat(waiting.advance(List.of(41L, 42L, 43L), T0.plusMillis(300), PATIENCE)).isEqualTo(LogFrontier.at(43));
    }

    @Test
    void aHoleStillOpenAfterThePatienceIsPassed() {
        LogFrontier waiting = LogFrontier.at(40).advance(List.of(42L), T0, PATIENCE);
        assertThat(waiting.advance(List.of(42L), T0.plus(PATIENCE).minusMillis(1), PATIENCE).upTo()).isEqualTo(40);
        assertThat(waiting.advance(List.of(42L, 44L), T0.plus(PATIENCE), PATIENCE))
                .isEqualTo(new LogFrontier(42, T0.plus(PATIENCE)));
    }

    @Test
    void nothingReadMovesNothing() {
        assertThat(LogFrontier.at(7).advance(List.of(), T0, PATIENCE)).isEqualTo(LogFrontier.at(7));
    }

    /**
     * Whatever order positions commit in, a reader that follows the frontier sees every position
     * that commits within the patience exactly once and in order.
     */
    @Test
    void followingTheFrontierMissesNoPositionThatCommitsInTime() {
        qt().forAll(lists().of(integers().between(0, 1500)).ofSizeBetween(1, 40))
                .checkAssert(commitDelaysMillis -> {
                    TreeSet<Long> committed = new TreeSet<>();
                    LogFrontier frontier = LogFrontier.at(0);
                    List<Long> streamed = new ArrayList<>();
                    for (int tick = 0; tick <= 40; tick++) {
                        long elapsed = tick * 50L;
                        for (int i = 0; i < commitDelaysMillis.size(); i++) {
                            if (commitDelaysMillis.get(i) <= elapsed) {
                                committed.add((long) i + 1);
                            }
                        }
                        LogFrontier next = frontier.advance(List.copyOf(committed.tailSet(frontier.upTo(), false)),
                                T0.plusMillis(elapsed), PATIENCE);
                        streamed.addAll(committed.subSet(frontier.upTo(), false, next.upTo(), true));
                        frontier = next;
                    }
                    List<Long> expected = new ArrayList<>();
                    for (long p = 1; p <= commitDelaysMillis.size(); p++) {
                        expected.add(p);
                    }
                    assertThat(streamed).isEqualTo(expected);
                });
    }
}
