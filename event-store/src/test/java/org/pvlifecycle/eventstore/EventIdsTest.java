package org.pvlifecycle.eventstore;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

class EventIdsTest {

    /** Milliseconds from 1970 to 10889 (the 48 bits' range). */
    static final long LAST_MILLI = (1L << 48) - 1;

    @Test
    void anIdIsAVersion7UuidOfItsMillisecond() {
        qt().forAll(longs().between(0, LAST_MILLI), longs().all(), longs().all())
                .checkAssert((millis, high, low) -> {
                    UUID id = EventIds.at(millis, high, low);
                    assertThat(id.version()).isEqualTo(7);
                    assertThat(id.variant()).isEqualTo(2);
                    assertThat(EventIds.millis(id)).isEqualTo(millis);
                    // What PostgreSQL's uuid type and the text form agree on.
                    assertThat(UUID.fromString(id.toString())).isEqualTo(id);
                });
    }

    @Test
    void anIdOfALaterMillisecondSortsAfterAsPostgresqlComparesThem() {
        // PostgreSQL orders uuids byte by byte, unsigned: the first 64 bits decide across milliseconds.
        qt().forAll(longs().between(0, LAST_MILLI - 1), longs().between(1, 1000), longs().all(), longs().all())
                .checkAssert((millis, later, high, low) -> {
                    UUID first = EventIds.at(millis, high, low);
                    UUID second = EventIds.at(Math.min(millis + later, LAST_MILLI), low, high);
                    assertThat(Long.compareUnsigned(first.getMostSignificantBits(), second.getMostSignificantBits()))
                            .isNegative();
                });
    }

    @Test
    void idsOfOneInstantDifferAndCarryIt() {
        Instant occurredAt = Instant.parse("2026-12-07T06:30:00.123456Z");
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID id = EventIds.of(occurredAt);
            assertThat(EventIds.millis(id)).isEqualTo(occurredAt.toEpochMilli());
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }
}
