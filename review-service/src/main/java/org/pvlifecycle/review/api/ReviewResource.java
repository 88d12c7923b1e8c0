package org.pvlifecycle.review.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.conventions.rest.Caller;
import org.pvlifecycle.conventions.rest.Problem;
import org.pvlifecycle.conventions.rest.ProblemException;
import org.pvlifecycle.review.ReviewCommands;
import org.pvlifecycle.review.domain.Review;
import org.pvlifecycle.review.domain.ReviewCommand;
import org.pvlifecycle.review.domain.ReviewDecider;
import org.pvlifecycle.review.persistence.ReviewFactsRepository;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * The review rows of docs/api.md: objections with their threads, and acks. The commands a list
 * message can cause may come from the mail gateway on behalf of a list member
 * (docs/api.md#the-mail-gateway); the event then names that member as its actor and the message as
 * its source.
 */
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Path("/")
@Tag(name = "review", description = "Specific technical objections and acks")
public class ReviewResource {
    @Inject
    ReviewCommands commands;

    @Inject
    ReviewFactsRepository facts;

    @Inject
    JsonWebToken token;

    @Inject
    Clock clock;

    /** The answer to a new objection (docs/api.md). */
    public record ObjectionRecorded(String objectionId, boolean late) {
    }

    /** The answer to a new ack (docs/api.md). */
    public record AckRecorded(String ackId) {
    }

    @POST
    @Path("proposals/{id}/objections")
    @RolesAllowed({"reviewer", Caller.MAIL_GATEWAY})
    @Operation(summary = "Raises a specific technical objection")
    @APIResponse(responseCode = "201", description = "Raised; late when the review window had closed")
    @APIResponse(responseCode = "200", description = "The mail gateway sent the same message's objection again: "
            + "the objection it raised then is the answer")
    @APIResponse(responseCode = "404", description = "No such proposal (or not yet known here)")
    @APIResponse(responseCode = "409", description = "The proposal is withdrawn or stable")
    @APIResponse(responseCode = "422", description = "Not specific or technical enough; the problem names the field")
    public Uni<RestResponse<ObjectionRecorded>> raise(@PathParam("id") String id,
            @Valid @NotNull ReviewRequests.NewObjection body) {
        Origin origin = origin(body);
        ReviewCommand.Raise raise = new ReviewCommand.Raise(origin.actor(), clock.instant(), body.category(),
                body.section(), body.rationale(), origin.source());
        return commands.execute(id, raise)
                .map(decided -> {
                    Optional<ObjectionRaised> raised = decided.first(ObjectionRaised.class);
                    if (raised.isPresent()) {
                        return RestResponse.ResponseBuilder
                                .<ObjectionRecorded>created(URI.create("/objections/" + raised.get().objectionId()))
                                .entity(new ObjectionRecorded(raised.get().objectionId(), raised.get().late()))
                                .build();
                    }
                    Review.Objection earlier = decided.before().raisedBy(raise.actor(), raise.source(),
                            raise.category(), raise.section().strip()).orElseThrow();
                    return RestResponse.ResponseBuilder.ok(new ObjectionRecorded(earlier.objectionId(), earlier.late()))
                            .location(URI.create("/objections/" + earlier.objectionId())).build();
                });
    }

    @GET
    @Path("objections/{oid}")
    @Operation(summary = "An objection with its thread, status, deadline and whether it blocks")
    public Uni<ObjectionView> objection(@PathParam("oid") String oid) {
        String proposal = proposalOf(oid);
        return commands.load(proposal).flatMap(review -> facts.lateObjectionsBlock().map(lateBlocks -> review
                .objection(oid)
                .map(o -> ObjectionView.of(proposal, o, lateBlocks))
                .orElseThrow(() -> ProblemException.notFound("objection " + oid))));
    }

    @POST
    @Path("objections/{oid}/answers")
    @Operation(summary = "The proposal's owner answers; the author then has the response window to reply")
    @APIResponse(responseCode = "201", description = "Answered")
    public Uni<RestResponse<ObjectionView>> answer(@PathParam("oid") String oid, @Valid @NotNull ReviewRequests.Reply body) {
        Origin origin = origin(body);
        return step(oid, new ReviewCommand.Answer(origin.actor(), clock.instant(), oid, body.text(), origin.source()),
                201);
    }

    @POST
    @Path("objections/{oid}/reaffirmations")
    @Operation(summary = "The author stands by an answered objection, with a technical reply")
    @APIResponse(responseCode = "201", description = "Reaffirmed")
    public Uni<RestResponse<ObjectionView>> reaffirm(@PathParam("oid") String oid,
            @Valid @NotNull ReviewRequests.Reply body) {
        Origin origin = origin(body);
        return step(oid, new ReviewCommand.Reaffirm(origin.actor(), clock.instant(), oid, body.text(),
                origin.source()), 201);
    }

    @POST
    @Path("objections/{oid}/withdrawal")
    @Operation(summary = "The author withdraws the objection")
    @APIResponse(responseCode = "202", description = "Withdrawn")
    public Uni<RestResponse<ObjectionView>> withdraw(@PathParam("oid") String oid,
            @Valid ReviewRequests.WithdrawalNote body) {
        Origin origin = origin(body);
        return step(oid, new ReviewCommand.Withdraw(origin.actor(), clock.instant(), oid,
                body == null ? null : body.text(), origin.source()), 202);
    }

    @POST
    @Path("objections/{oid}/overrule")
    @RolesAllowed("czar")
    @Operation(summary = "The Czar overrules the objection, with a rationale")
    @APIResponse(responseCode = "202", description = "Overruled")
    public Uni<RestResponse<ObjectionView>> overrule(@PathParam("oid") String oid,
            @Valid @NotNull ReviewRequests.Overruling body) {
        return step(oid, new ReviewCommand.Overrule(actor(), clock.instant(), oid, body.rationale()), 202);
    }

    @POST
    @Path("proposals/{id}/acks")
    @RolesAllowed({"reviewer", Caller.MAIL_GATEWAY})
    @Operation(summary = "Acks, reviews or tests one of the proposal's components in its current stage")
    @APIResponse(responseCode = "201", description = "Given")
    @APIResponse(responseCode = "200", description = "The same ack was live already: it is the answer")
    public Uni<RestResponse<AckRecorded>> giveAck(@PathParam("id") String id, @Valid @NotNull ReviewRequests.NewAck body) {
        Origin origin = origin(body);
        String actor = origin.actor();
        return commands.executeWithFacts(id, new ReviewCommand.GiveAck(actor, clock.instant(), body.kind(), body.component(),
                        origin.source()))
                .map(outcome -> {
                    Optional<AckGiven> given = outcome.decided().first(AckGiven.class);
                    if (given.isPresent()) {
                        return RestResponse.ResponseBuilder
                                .<AckRecorded>created(URI.create("/proposals/" + id + "/acks/" + given.get().ackId()))
                                .entity(new AckRecorded(given.get().ackId())).build();
                    }
                    // Nothing appended: the same ack was live in the stage the decision saw, so
                    // the review it was decided on holds it.
                    return outcome.decided().before()
                            .liveAck(actor, body.kind(), body.component(), outcome.facts().stage())
                            .map(ack -> RestResponse.ok(new AckRecorded(ack.ackId())))
                            .orElseThrow(() -> new IllegalStateException(
                                    "an ack decided as live already is not live in the review it was decided on"));
                });
    }

    @DELETE
    @Path("proposals/{id}/acks/{ackId}")
    @Operation(summary = "The author retracts an ack; it counts nowhere any more")
    @APIResponse(responseCode = "204", description = "Retracted")
    public Uni<RestResponse<Void>> retractAck(@PathParam("id") String id, @PathParam("ackId") String ackId,
            @Valid ReviewRequests.Retraction body) {
        Origin origin = origin(body);
        return commands.execute(id, new ReviewCommand.RetractAck(origin.actor(), clock.instant(), ackId,
                        origin.source()))
                .map(decided -> RestResponse.noContent());
    }

    /**
     * One step of an objection's thread, answered with the objection as it stands; 200 instead of
     * {@code status} when the step was taken before by the same list message (the mail gateway
     * sends a step again when it cannot know whether its first attempt was applied).
     */
    private Uni<RestResponse<ObjectionView>> step(String oid, ReviewCommand command, int status) {
        String proposal = proposalOf(oid);
        return commands.execute(proposal, command)
                .flatMap(decided -> objection(oid).map(view -> RestResponse.status(RestResponse.Status
                        .fromStatusCode(decided.appended().isEmpty() ? 200 : status), view)));
    }

    private static String proposalOf(String oid) {
        String proposal = ReviewDecider.proposalOf(oid);
        if (proposal == null) {
            throw ProblemException.notFound("objection " + oid);
        }
        return proposal;
    }

    private String actor() {
        return Caller.subject(token);
    }

    /** Who a command is for, and the list message that caused it (null over REST). */
    private record Origin(String actor, Source source) {
    }

    /**
     * The caller's own command, or the mail gateway's on behalf of the person it names. The gateway
     * must name the message too, so that each of its actions can be checked against the list's
     * archive; nobody else may name one, so that a source always means the gateway acted
     * (docs/api.md#the-mail-gateway).
     */
    private Origin origin(ReviewRequests.OnBehalf body) {
        String actor = Caller.actor(token, body == null ? null : body.actor());
        ReviewRequests.ListMessage message = body == null ? null : body.source();
        boolean gateway = Caller.isMailGateway(token);
        if (gateway && message == null) {
            throw ProblemException.invalid("source", "the mail gateway must name the list message that caused the command");
        }
        if (!gateway && message != null) {
            throw ProblemException.invalid("source", "only the mail gateway names a list message");
        }
        return new Origin(actor, message == null ? null : message.toSource());
    }

}
