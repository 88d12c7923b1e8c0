package org.pvlifecycle.consumer.replay;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;
import org.pvlifecycle.consumer.TopicsFromTheStart;
import org.pvlifecycle.conventions.rest.ProblemException;

import java.time.Duration;

/**
 * {@code POST /admin/replay} and {@code GET /admin/replay} for a service that has a
 * {@link ReplayWork}: the service declares the path on a subclass, so services without a replay
 * serve no such endpoint. The role is declared here, on the methods: a security annotation of the
 * subclass does not reach methods it inherits.
 */
public abstract class ReplayResource {
    /** A replay reads Kafka: asked for while Kafka is away, it is a 503 within this. */
    static final Duration KAFKA_WAIT = Duration.ofSeconds(2);

    @Inject
    ReplayJob replay;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @POST
    @RolesAllowed("operator")
    @Operation(summary = "Rebuilds what this service derives from the events, from the start of the topics, "
            + "while it goes on serving")
    public RestResponse<ReplayJob.Status> start() {
        TopicsFromTheStart.requireReachable(bootstrapServers, KAFKA_WAIT);
        if (!replay.start()) {
            throw ProblemException.conflict("replay-running", "a replay is running; GET /admin/replay follows it");
        }
        return RestResponse.accepted(replay.status());
    }

    @GET
    @RolesAllowed("operator")
    @Operation(summary = "The state of the last replay")
    public ReplayJob.Status status() {
        return replay.status();
    }
}
