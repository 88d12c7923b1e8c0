package org.pvlifecycle.projection.api;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pvlifecycle.consumer.replay.ReplayResource;

/**
 * Operators (role {@code operator}, on the inherited methods) rebuild the read models from the topics, while reads go on (see
 * {@link org.pvlifecycle.projection.persistence.Replay}).
 */
@Path("/admin/replay")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Operators' tools")
public class AdminResource extends ReplayResource {
}
