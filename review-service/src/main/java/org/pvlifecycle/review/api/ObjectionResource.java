package org.pvlifecycle.review.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.pvlifecycle.eventstore.rest.ProblemException;

/**
 * Objections and their threads (SPEC §5). An objection exists only once raised. This service does not record any objection yet, so every
 * objection asked for is unknown: 404, to any authenticated caller.
 */
@Path("/objections/{oid}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ObjectionResource {

    @GET
    @Operation(summary = "Reads one objection")
    public Uni<Object> get(@PathParam("oid") String oid) {
        return Uni.createFrom().failure(ProblemException.notFound("objection " + oid));
    }
}
