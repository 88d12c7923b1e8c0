package org.pvlifecycle.consumer;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.eventstore.SessionSql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxTest {

    /**
     * This module's build, like the consensus, projection, notification and mail services', has no
     * Hibernate Reactive: an inbox whose effects work with entities could only fail at every event,
     * so it is refused where it is made, as the service starts.
     */
    @Test
    void anInboxWithEntitiesIsRefusedWhereTheBuildHasNoHibernateReactive() {
        assertThat(SessionSql.hasEntities()).isFalse();
        Inbox plain = new Inbox("proposal-events", Topics.PROPOSAL, event -> Uni.createFrom().voidItem());
        assertThat(plain.entities()).isFalse();
        assertThatThrownBy(plain::withEntities)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proposal-events")
                .hasMessageContaining("no Hibernate Reactive");
    }
}
