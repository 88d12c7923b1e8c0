package org.pvlifecycle.consumer;

import org.pvlifecycle.eventstore.SessionSql;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** A read that needs the database, as every service's resources have: what the test consumer applied. */
@Path("/test-effects/{proposal}")
public class TestEffectsResource {

    @GET
    public Uni<Long> count(@PathParam("proposal") String proposal) {
        return SessionSql.select("select count(*) from test_effects where proposal_id = $1", proposal)
                .map(rows -> ((Number) rows.get(0)[0]).longValue());
    }
}
