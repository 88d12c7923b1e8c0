package org.pvlifecycle.projection.persistence;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.projection.domain.LoggedEvent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

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
    }

    /** The values in the order the statement's comment numbers them: proposal, until, after (time, position), events, bytes. */
    @Test
    void aPageAfterAnEventStartsPastItAndAFirstPageFromTheStart() {
        Instant asOf = Instant.parse("2026-12-01T10:00:00Z");
        LoggedEvent last = new LoggedEvent(42, UUID.randomUUID(), "pv.proposal.events", EventType.PROPOSAL_REVISED, "proposal-service",
                "pv-1", "alice", Instant.parse("2026-11-30T09:00:00Z"), 3, null);
        assertThat(LogFolds.pageParameters("pv-1", asOf, last, 7)).containsExactly("pv-1",
                asOf.atOffset(ZoneOffset.UTC), last.time().atOffset(ZoneOffset.UTC), 42L, 7L, LogFolds.FOLD_PAGE_BYTES);
        assertThat(LogFolds.pageParameters("pv-1", null, null, 7)).containsExactly("pv-1",
                OffsetDateTime.MAX, OffsetDateTime.MIN, 0L, 7L, LogFolds.FOLD_PAGE_BYTES);
    }
}
