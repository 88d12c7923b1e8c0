package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.PvlTestResources;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvlifecycle.testkit.OnVertx.await;

/** The plain transactions of {@link SessionSql}: what commits, what rolls back, whose transaction a statement joins. */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class SessionSqlIT {

    String key;

    @BeforeEach
    void table() {
        await(() -> SessionSql.update("create table if not exists session_sql_rows (key text, n int)"));
        key = UUID.randomUUID().toString();
    }

    Uni<Integer> insert(int n) {
        return SessionSql.update("insert into session_sql_rows (key, n) values ($1, $2)", key, n);
    }

    List<Integer> committed() {
        return await(() -> SessionSql.select("select n from session_sql_rows where key = $1 order by n", key))
                .stream().map(row -> (Integer) row[0]).toList();
    }

    @Test
    void theStatementsOfATransactionCommitTogetherAndSeeEachOther() {
        Long seen = await(() -> SessionSql.inTransaction(() -> insert(1)
                .flatMap(v -> insert(2))
                .flatMap(v -> SessionSql.select("select count(*) from session_sql_rows where key = $1", key))
                .map(rows -> (Long) rows.get(0)[0])));

        assertThat(seen).isEqualTo(2L);
        assertThat(committed()).containsExactly(1, 2);
    }

    @Test
    void aFailureAfterAWriteRollsItBackAndIsTheTransactionsFailure() {
        assertThatThrownBy(() -> await(() -> SessionSql.inTransaction(() -> insert(1)
                .flatMap(v -> Uni.createFrom().failure(new IllegalStateException("refused"))))))
                .hasMessageContaining("refused");

        assertThat(committed()).isEmpty();
    }

    @Test
    void aTransactionInsideAnotherJoinsIt() {
        assertThatThrownBy(() -> await(() -> SessionSql.inTransaction(() -> SessionSql.inTransaction(() -> insert(1))
                .flatMap(v -> Uni.createFrom().failure(new IllegalStateException("the outer one fails"))))))
                .hasMessageContaining("the outer one fails");

        assertThat(committed()).isEmpty();
    }

    @Test
    void insideAHibernateTransactionItsStatementsAreThatTransactions() {
        assertThatThrownBy(() -> await(() -> Panache.withTransaction(() -> SessionSql.inTransaction(() -> insert(1))
                .flatMap(v -> Uni.createFrom().failure(new IllegalStateException("the session's fails"))))))
                .hasMessageContaining("the session's fails");
        assertThat(committed()).isEmpty();

        await(() -> Panache.withTransaction(() -> SessionSql.inTransaction(() -> insert(1)).flatMap(v -> insert(2))));
        assertThat(committed()).containsExactly(1, 2);
    }

    @Test
    void everyTransactionGivesItsConnectionBack() {
        // More failed transactions than the pool has connections: a connection kept by any of
        // them would leave the last one waiting for a connection, and failing.
        for (int i = 0; i < 40; i++) {
            assertThatThrownBy(() -> await(() -> SessionSql.inTransaction(() -> insert(1)
                    .flatMap(v -> SessionSql.update("insert into no_such_table values (1)")))))
                    .hasMessageContaining("no_such_table");
        }
        await(() -> SessionSql.inTransaction(() -> insert(3)));

        assertThat(committed()).containsExactly(3);
    }

    @Test
    void whatIsAskedForAfterTheCommitRunsOnceTheTransactionCommittedAndSeesItsRows() {
        CompletableFuture<Long> seenAfterTheCommit = new CompletableFuture<>();
        List<String> runs = new CopyOnWriteArrayList<>();
        Runnable action = () -> {
            runs.add("after");
            // On its own connection, outside the transaction: only committed rows are seen.
            SessionSql.select("select count(*) from session_sql_rows where key = $1", key)
                    .subscribe().with(rows -> seenAfterTheCommit.complete((Long) rows.get(0)[0]),
                            seenAfterTheCommit::completeExceptionally);
        };

        await(() -> SessionSql.inTransaction(() -> insert(1)
                .invoke(() -> runs.add("asked: " + SessionSql.afterCommit(action)))
                // Asked again, and from a transaction inside: it runs once, after the outer commit.
                .flatMap(v -> SessionSql.inTransaction(() -> insert(2)
                        .invoke(() -> runs.add("asked: " + SessionSql.afterCommit(action)))))
                .invoke(() -> runs.add("end of work"))));

        assertThat(seenAfterTheCommit).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(2L);
        assertThat(runs).containsExactly("asked: true", "asked: true", "end of work", "after");
    }

    @Test
    void whatIsAskedForAfterTheCommitDoesNotRunWhenTheTransactionRollsBack() {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> await(() -> SessionSql.inTransaction(() -> insert(1)
                .invoke(() -> SessionSql.afterCommit(runs::incrementAndGet))
                .flatMap(v -> Uni.createFrom().failure(new IllegalStateException("refused"))))))
                .hasMessageContaining("refused");
        // The next transaction on a context starts with nothing asked for.
        await(() -> SessionSql.inTransaction(() -> insert(2)));

        assertThat(runs).hasValue(0);
        assertThat(committed()).containsExactly(2);
    }

    @Test
    void whatIsAskedForInAHibernateTransactionRunsAfterItsCommit() {
        AtomicInteger runs = new AtomicInteger();
        await(() -> SessionSql.inEntityTransaction(() -> SessionSql.inTransaction(() -> insert(1))
                .invoke(() -> SessionSql.afterCommit(runs::incrementAndGet))
                .invoke(() -> assertThat(runs).hasValue(0))));

        assertThat(runs).hasValue(1);
        assertThat(committed()).containsExactly(1);
    }

    /**
     * A statement's rows are handed on, not kept by the chain that ran it until the chain ends: a
     * refresh that read a log page by page, in a batch of thirty refreshes, had kept every page
     * until the batch committed. Here 120 reads of a megabyte in one chain hold no more than a few.
     */
    @Test
    void theRowsOfAStatementAreNotKeptByTheChainThatRanIt() {
        long before = usedAfterCollection();
        long atTheEnd = await(() -> SessionSql.inTransaction(() -> readMegabytes(120)));
        assertThat(atTheEnd - before).isLessThan(40L * 1024 * 1024);
    }

    Uni<Long> readMegabytes(int left) {
        return SessionSql.select("select repeat('x', 1000) || n from generate_series(1, 1000) as n")
                .flatMap(rows -> left == 0 ? Uni.createFrom().item(SessionSqlIT::usedAfterCollection)
                        : readMegabytes(left - 1));
    }

    static long usedAfterCollection() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void outsideATransactionNothingCanBeAskedForAfterACommit() {
        assertThat(await(() -> Uni.createFrom().item(() -> SessionSql.afterCommit(() -> { })))).isFalse();
    }
}
