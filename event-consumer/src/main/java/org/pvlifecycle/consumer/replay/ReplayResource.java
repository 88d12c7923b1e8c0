package org.pvlifecycle.consumer.replay;

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
 * {@link ReplayWork}: the service declares the path and the role on a subclass, so services
 * without a replay serve no such endpoint.
 */
public abstract class ReplayResource {
    /** A replay reads Kafka: asked for while Kafka is away, it is a 503 within this. */
    static final Duration KAFKA_WAIT = Duration.ofSeconds(2);

    @Inject
    ReplayJob replay;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @POST
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
    @Operation(summary = "The state of the last replay")
    public ReplayJob.Status status() {
        return replay.status();
    }
}
