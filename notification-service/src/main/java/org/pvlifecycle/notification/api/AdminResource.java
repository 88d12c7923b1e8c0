package org.pvlifecycle.notification.api;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pvlifecycle.consumer.replay.ReplayResource;

/**
 * Operators (role {@code operator}, on the inherited methods) rebuild who is concerned by each proposal from the topics, while notices go on;
 * replayed events notify no one again (see
 * {@link org.pvlifecycle.notification.messaging.FactsReplay}).
 */
@Path("/admin/replay")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Operators' tools")
public class AdminResource extends ReplayResource {
}
