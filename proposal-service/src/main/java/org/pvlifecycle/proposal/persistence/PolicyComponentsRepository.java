package org.pvlifecycle.proposal.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.paths.PathCoverage;
import org.pvlifecycle.eventstore.SessionSql;

import java.util.List;

/** The latest policy's components as far as paths go, learnt from {@code policy-changed}. */
@ApplicationScoped
public class PolicyComponentsRepository {

    /** Keeps {@code policy} unless a newer version is kept already; in the consumer's transaction. */
    public Uni<Void> remember(PolicyChanged policy) {
        return SessionSql.update("""
                        insert into policy_components (id, version, policy) values (1, $1, $2)
                        on conflict (id) do update set version = excluded.version, policy = excluded.policy
                        where policy_components.version < excluded.version""",
                policy.version(), EventJson.write(policy)).replaceWithVoid();
    }

    /** The areas the latest policy describes; none when it describes no components (or none was seen). */
    public Uni<List<PathCoverage.Area>> areas() {
        return SessionSql.select("select policy from policy_components where id = 1")
                .map(rows -> rows.isEmpty() ? List.<PathCoverage.Area>of()
                        : PathCoverage.of(EventJson.read(EventJson.tree((String) rows.get(0)[0]), PolicyChanged.class)));
    }
}
