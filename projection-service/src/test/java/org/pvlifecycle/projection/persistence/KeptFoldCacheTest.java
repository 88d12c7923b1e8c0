package org.pvlifecycle.projection.persistence;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.projection.domain.KeptFold;
import org.pvlifecycle.projection.domain.ProposalHistory;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** The kept folds stay within their events, keep what fits of proposals refreshed in turn, and make room from idle ones. */
class KeptFoldCacheTest {
    static final long IDLE = 5_000;

    @Test
    void proposalsRefreshedInTurnThatDoNotAllFitKeepThoseThatDo() {
        KeptFoldCache cache = new KeptFoldCache(200, IDLE);
        long now = 0;
        int found = 0;
        for (int turn = 0; turn < 10; turn++) {
            found = 0;
            for (int p = 0; p < 32; p++) {
                String id = "p" + p;
                found += cache.get(id) != null ? 1 : 0;
                cache.put(id, fold(10), now++);
            }
        }
        // Plain least-recently-used found none: each fold dropped the next one's.
        assertThat(found).isEqualTo(20);
        assertThat(cache.events()).isEqualTo(200);
    }

    @Test
    void foldsIdleLongEnoughMakeRoom() {
        KeptFoldCache cache = new KeptFoldCache(30, IDLE);
        cache.put("a", fold(10), 0);
        cache.put("b", fold(10), 1_000);
        cache.put("c", fold(10), 2_000);
        assertThat(cache.put("d", fold(10), 4_999)).isFalse();
        assertThat(cache.get("d")).isNull();
        assertThat(cache.put("d", fold(15), 5_000)).isFalse(); // only a is idle: 10 of the 15 needed
        assertThat(cache.put("d", fold(15), 6_000)).isTrue();
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("c")).isNotNull();
        assertThat(cache.events()).isEqualTo(25);
    }

    @Test
    void aFoldReplacesTheProposalsOwnAndOneWithoutItsSubmissionOrTooLongIsNotKept() {
        KeptFoldCache cache = new KeptFoldCache(30, IDLE);
        cache.put("a", fold(10), 0);
        assertThat(cache.put("a", fold(25), 1)).isTrue();
        assertThat(cache.events()).isEqualTo(25);
        assertThat(cache.put("a", new KeptFold(null, null, List.of(), null, 0, 3), 2)).isFalse();
        assertThat(cache.put("b", fold(31), 3)).isFalse();
        assertThat(cache.size()).isZero();
        assertThat(cache.events()).isZero();
    }

    @Test
    void theEventsKeptNeverExceedTheBudgetAndAreTheSumOfTheFoldsKept() {
        qt().forAll(lists().of(integers().between(0, 7 * 64 * 300 - 1)).ofSizeBetween(1, 200), integers().between(1, 300))
                .checkAssert((operations, budget) -> {
                    KeptFoldCache cache = new KeptFoldCache(budget, IDLE);
                    long now = 0;
                    java.util.Map<String, Integer> kept = new java.util.HashMap<>();
                    for (int code : operations) {
                        String id = "p" + code % 7;
                        int events = code / 7 % 64;
                        now += code / (7 * 64) * 50;
                        boolean put = cache.put(id, fold(events), now);
                        assertThat(cache.get(id) != null).isEqualTo(put);
                        assertThat(cache.events()).isLessThanOrEqualTo(budget);
                        long sum = 0;
                        for (int p = 0; p < 7; p++) {
                            KeptFold f = cache.get("p" + p);
                            sum += f == null ? 0 : f.events();
                        }
                        assertThat(cache.events()).isEqualTo(sum);
                    }
                });
    }

    static KeptFold fold(int events) {
        ProposalHistory view = new ProposalHistory("p", "title", "summary", "alice", List.of(), Stage.DESIGN,
                Instant.EPOCH, List.of(), List.of(), List.of(), List.of(), List.of(), null);
        return new KeptFold(null, null, List.of(), view, 0, events);
    }
}
