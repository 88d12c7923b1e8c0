package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.PvlTestResources;

import java.util.List;
import java.util.UUID;

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
}
