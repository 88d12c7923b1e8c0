package org.pvlifecycle.consumer.rest;

import org.pvlifecycle.conventions.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pvlifecycle.consumer.DeadLetters;

import java.util.List;

/**
 * Operators see the messages this service's consumers dead-lettered, with their reasons, and
 * bring them back once the cause is fixed. A re-drive goes through the consumer's inbox, so a
 * message applied meanwhile changes nothing the second time.
 */
@Path("/admin/dead-letters")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Operators' tools")
public class DeadLetterResource {
    @Inject
    DeadLetters deadLetters;

    @GET
    @Operation(summary = "This service's dead-lettered messages, with their reasons and any re-drive")
    public Uni<List<DeadLetters.DeadLetter>> list() {
        return deadLetters.list();
    }

    @POST
    @Path("/{id}/redrive")
    @Operation(summary = "Applies one dead letter again (id: <dead-letter topic>:<partition>:<offset>)")
    public Uni<List<DeadLetters.RedriveResult>> redrive(@PathParam("id") String id) {
        return deadLetters.redrive(id).map(results -> {
            if (results.isEmpty()) {
                throw ProblemException.notFound("the dead letter " + id + " of this service");
            }
            return results;
        });
    }

    @POST
    @Path("/redrive")
    @Operation(summary = "Applies again every dead letter not yet applied by a re-drive")
    public Uni<List<DeadLetters.RedriveResult>> redriveAll() {
        return deadLetters.redriveAll();
    }
}
