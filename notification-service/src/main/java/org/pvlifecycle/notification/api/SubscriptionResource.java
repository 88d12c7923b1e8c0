package org.pvlifecycle.notification.api;

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
 * Subscriptions to notices (SPEC §5). This service does not record any subscription yet, so every
 * subscription asked for is unknown: 404, to any authenticated caller.
 */
@Path("/subscriptions/{sid}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionResource {

    @GET
    @Operation(summary = "Reads one subscription")
    public Uni<Object> get(@PathParam("sid") String sid) {
        return Uni.createFrom().failure(ProblemException.notFound("subscription " + sid));
    }
}
