package org.pvlifecycle.projection.persistence;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.EventType;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fold page's lookup of the latest eligibility change and the partial index it is meant to
 * use name the same type: with another version of the event in either, the planner would walk the
 * proposal's whole log again, and no answer would differ.
 */
class LogFoldsIndexTest {
    @Test
    void theFoldPageAndTheIndexNameTheEventTypeOfEligibilityChanges() throws Exception {
        String type = EventType.ELIGIBILITY_CHANGED.typeName();
        String migration;
        try (InputStream in = getClass().getResourceAsStream("/db/migration/V16__eligibility_index.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(migration).contains("on event_log (proposal_id, occurred_at, position)\n    where type = '" + type + "'");
        assertThat(LogFolds.FOLD_PAGE).contains("where l.proposal_id = $1 and l.type = '" + type + "'");
    }
}
