package org.pvlifecycle.consensus.api;

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
 * Eligibility of a proposal for its next stage (SPEC §2). This service does not record any proposal yet, so every
 * proposal asked for is unknown: 404, to any authenticated caller.
 */
@Path("/proposals/{id}/eligibility")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class EligibilityResource {

    @GET
    @Operation(summary = "Reads one proposal")
    public Uni<Object> get(@PathParam("id") String id) {
        return Uni.createFrom().failure(ProblemException.notFound("proposal " + id));
    }
}
