package org.pvlifecycle.projection.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pvlifecycle.eventstore.TopicsFromTheStart;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pvlifecycle.eventstore.rest.ProblemException;
import org.pvlifecycle.projection.persistence.Replay;

import java.time.Duration;

/** Operators rebuild the read models from the topics, while reads go on. */
@Path("/admin/replay")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Operators' tools")
public class AdminResource {
    /** A replay reads Kafka: asked for while Kafka is away, it is a 503 within this. */
    static final Duration KAFKA_WAIT = Duration.ofSeconds(2);

    @Inject
    Replay replay;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @POST
    @Operation(summary = "Rebuilds the read models from the start of the topics, without downtime")
    public RestResponse<Replay.Status> start() {
        TopicsFromTheStart.requireReachable(bootstrapServers, KAFKA_WAIT);
        if (!replay.start()) {
            throw ProblemException.conflict("replay-running", "a replay is running; GET /admin/replay follows it");
        }
        return RestResponse.accepted(replay.status());
    }

    @GET
    @Operation(summary = "The state of the last replay")
    public Replay.Status status() {
        return replay.status();
    }
}
