package org.pvlifecycle.consensus.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pvlifecycle.consensus.ConsensusCommands;
import org.pvlifecycle.consensus.domain.Eligibility;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.TransitionDecided;
import org.pvlifecycle.conventions.rest.Caller;
import org.pvlifecycle.conventions.rest.ProblemException;

/** Eligibility and the Czar's decisions (docs/api.md). */
@Path("/proposals/{id}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "consensus", description = "Lazy consensus: eligibility, blockers, deadlines, decisions")
public class ConsensusResource {
    @Inject
    ConsensusCommands commands;

    @Inject
    JsonWebToken token;

    /** A transition the Czar decides; {@code override} moves a proposal that is not eligible. */
    public record Transition(@NotNull Stage to, @Size(max = 20000) String rationale, boolean override) {
    }

    @GET
    @Path("/eligibility")
    @Operation(summary = "Whether the proposal may move on, every blocker, the window's end and the next deadline")
    @APIResponse(responseCode = "404", description = "No such proposal (or not yet known here)")
    public Uni<Eligibility.Answer> eligibility(@PathParam("id") String id) {
        return commands.eligibility(id).map(answer -> {
            if (answer == null) {
                throw ProblemException.notFound("proposal " + id);
            }
            return answer;
        });
    }

    @POST
    @Path("/transitions")
    @RolesAllowed("czar")
    @Operation(summary = "The Czar advances the proposal to its next stage")
    @APIResponse(responseCode = "202", description = "Decided; the proposal service applies it")
    @APIResponse(responseCode = "409", description = "Not eligible (the blockers are in the problem), not the next stage, or already decided")
    @APIResponse(responseCode = "422", description = "An override without a rationale")
    public Uni<RestResponse<TransitionDecided>> decide(@PathParam("id") String id, @Valid @NotNull Transition body) {
        return commands.decide(id, body.to(), Caller.subject(token), body.override(), body.rationale())
                .map(outcome -> RestResponse.accepted((TransitionDecided) outcome.events().get(0)));
    }
}
