package org.pvlifecycle.projection.persistence;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reactive client's numbered parameters, for the replay's JDBC. */
class ReplayPositionalTest {
    @Test
    void eachNumberedParameterBecomesAPlaceholderThatTakesItsValue() {
        Replay.Positional p = Replay.Positional.of("select $2 where a = $1 and b = $2 and c::text = $10");
        assertThat(p.sql()).isEqualTo("select ? where a = ? and b = ? and c::text = ?");
        assertThat(p.numbers()).containsExactly(2, 1, 2, 10);
    }

    @Test
    void theFoldPageTakesEveryValueItsReactiveFormTakes() {
        Replay.Positional p = Replay.Positional.of(LogFolds.FOLD_PAGE);
        assertThat(p.sql()).doesNotContain("$");
        assertThat(p.numbers()).containsOnly(1, 2, 3, 4, 5, 6);
        assertThat(LogFolds.pageParameters("pv-1", null, null, 7)).hasSize(6);
    }
}
