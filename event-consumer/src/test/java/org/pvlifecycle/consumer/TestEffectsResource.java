package org.pvlifecycle.consumer;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** A read that needs the database, as every service's resources have: what the test consumer applied. */
@Path("/test-effects/{proposal}")
public class TestEffectsResource {

    @GET
    public Uni<Long> count(@PathParam("proposal") String proposal) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("select count(*) from test_effects where proposal_id = :p", Long.class)
                .setParameter("p", proposal)
                .getSingleResult()));
    }
}
