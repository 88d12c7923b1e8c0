package org.pvlifecycle.projection.persistence;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fold page's lookup of a proposal's latest eligibility change, planned as the services plan
 * it (generic plans), goes through the partial index of eligibility changes (V16). Its answers
 * would be the same through any other index; only the plan shows that it is matched.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class FoldPagePlanIT {
    @Test
    void theLatestEligibilityChangeIsLookedUpInItsIndex() throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl() + "?currentSchema=projection",
                TestDatabase.user(), TestDatabase.password()); Statement s = c.createStatement()) {
            s.execute("set plan_cache_mode = force_generic_plan");
            // The test's log is small: a scan of the whole table would cost less than any index.
            s.execute("set enable_seqscan = off");
            s.execute("prepare fold_page (text, timestamptz, timestamptz, bigint, bigint, bigint) as " + LogFolds.FOLD_PAGE);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = s.executeQuery(
                    "explain execute fold_page ('pv-plan', 'infinity', '-infinity', 0, 500, 2097152)")) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("InitPlan").contains("using event_log_eligibility_by_proposal");
        }
    }
}
