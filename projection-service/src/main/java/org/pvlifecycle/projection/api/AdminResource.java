package org.pvlifecycle.projection.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pvlifecycle.consumer.replay.ReplayResource;

/**
 * Operators rebuild the read models from the topics, while reads go on (see
 * {@link org.pvlifecycle.projection.persistence.Replay}).
 */
@Path("/admin/replay")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Operators' tools")
public class AdminResource extends ReplayResource {
}
