package org.pvlifecycle.proposal.api;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
import org.pvlifecycle.events.EvidenceDetail;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.StructuredCloudEvent;
import org.pvlifecycle.eventstore.Decided;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.eventstore.Execution;
import org.pvlifecycle.conventions.rest.Caller;
import org.pvlifecycle.conventions.rest.Problem;
import org.pvlifecycle.conventions.rest.ProblemException;
import org.pvlifecycle.events.paths.PathCoverage;
import org.pvlifecycle.proposal.persistence.PolicyComponentsRepository;
import org.pvlifecycle.proposal.domain.Proposal;
import org.pvlifecycle.proposal.domain.ProposalCommand;
import org.pvlifecycle.proposal.domain.ProposalDecider;
import org.pvlifecycle.proposal.persistence.ReviewWindowRepository;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** The proposal rows of docs/api.md. Identity comes from the token, never from the body. */
@Path("/proposals")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "proposals", description = "PV protocol proposals and their progress through the stages")
public class ProposalResource {
    /** A spec revision is at most 1 MiB of Markdown (docs/api.md); more is 413. */
    static final int MAX_SPEC_BYTES = 1024 * 1024;

    /** Deciding again on fresh state is safe for every proposal command: the rules are checked again. */
    static final Execution COMMAND = Execution.request(10);

    @Inject
    EventStore store;

    @Inject
    ReviewWindowRepository windows;

    @Inject
    PolicyComponentsRepository policyComponents;

    @Inject
    JsonWebToken token;

    @Inject
    SecurityIdentity identity;

    @Inject
    Clock clock;

    @POST
    @RolesAllowed("contributor")
    @Operation(summary = "Submits a proposal; it starts in DESIGN at revision 1, owned by the caller")
    @APIResponse(responseCode = "201", description = "Submitted; Location names it")
    @APIResponse(responseCode = "409", description = "A proposal with this id exists")
    @APIResponse(responseCode = "413", description = "The spec is larger than 1 MiB")
    @APIResponse(responseCode = "422", description = "A field is invalid; the problem names it")
    public Uni<RestResponse<ProposalView>> submit(@Valid @NotNull ProposalRequests.NewProposal body) {
        checkSpecSize(body.spec());
        return components(body)
                .flatMap(components -> execute(body.id(), new ProposalCommand.Submit(actor(), body.id(),
                        body.title().strip(), body.summary(), components, body.spec(), body.paths())))
                .flatMap(decided -> load(body.id()))
                .map(folded -> RestResponse.ResponseBuilder
                        .<ProposalView>created(URI.create("/proposals/" + body.id()))
                        .entity(ProposalView.of(folded.state(), folded.version()))
                        .build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "The proposal as its owning service knows it")
    @APIResponse(responseCode = "404", description = "No such proposal")
    public Uni<ProposalView> get(@PathParam("id") String id) {
        return load(id).map(folded -> {
            if (!folded.exists()) {
                throw ProblemException.notFound("proposal " + id);
            }
            return ProposalView.of(folded.state(), folded.version());
        });
    }

    @GET
    @Path("/{id}/events")
    @Operation(summary = "The proposal's own events, in order, as structured CloudEvents")
    @APIResponse(responseCode = "404", description = "No such proposal")
    public Uni<List<StructuredCloudEvent>> events(@PathParam("id") String id) {
        return store.load(id).map(events -> {
            if (events.isEmpty()) {
                throw ProblemException.notFound("proposal " + id);
            }
            return events.stream().map(StructuredCloudEvent::of).toList();
        });
    }

    @POST
    @Path("/{id}/revisions")
    @Operation(summary = "Publishes a new revision of the spec (owner only)")
    @APIResponse(responseCode = "201", description = "The new revision number, its warnings and missing sections")
    public Uni<RestResponse<RevisionAccepted>> revise(@PathParam("id") String id,
            @Valid @NotNull ProposalRequests.NewRevision body) {
        checkSpecSize(body.spec());
        return execute(id, new ProposalCommand.Revise(actor(), body.spec(), body.note(), body.paths()))
                .map(decided -> {
                    ProposalRevised revised = decided.first(ProposalRevised.class).orElseThrow();
                    return RestResponse.ResponseBuilder
                            .<RevisionAccepted>created(URI.create("/proposals/" + id))
                            .entity(new RevisionAccepted(revised.revision(), revised.warnings(),
                                    revised.missingSections()))
                            .build();
                });
    }

    /** The answer to a revision: docs/api.md's {@code {revision, warnings[]}}, with the sections still missing. */
    public record RevisionAccepted(int revision, List<String> warnings, List<String> missingSections) {
    }

    @POST
    @Path("/{id}/evidence")
    @Operation(summary = "Records evidence (owner only); the detail depends on the kind")
    @APIResponse(responseCode = "201", description = "Recorded")
    public Uni<RestResponse<EvidenceRecorded>> recordEvidence(@PathParam("id") String id,
            @Valid @NotNull ProposalRequests.NewEvidence body) {
        ProposalRequests.Detail d = body.detail();
        EvidenceDetail detail = d == null ? EvidenceDetail.none()
                : new EvidenceDetail(d.list(), d.repository(), d.backward(), d.crossPlatform(), d.version());
        ProposalCommand.RecordEvidence command = new ProposalCommand.RecordEvidence(actor(),
                UUID.randomUUID().toString(), body.kind(), body.reference().strip(), detail);
        return execute(id, command).map(decided -> RestResponse.ResponseBuilder
                .<EvidenceRecorded>created(URI.create("/proposals/" + id))
                .entity(decided.first(EvidenceRecorded.class).orElseThrow())
                .build());
    }

    @POST
    @Path("/{id}/review-requests")
    @Operation(summary = "Asks for review of the current stage, opening its window (owner only)")
    @APIResponse(responseCode = "202", description = "Requested; the consensus service opens the window")
    @APIResponse(responseCode = "409", description = "A window of this stage is open")
    public Uni<RestResponse<ReviewRequested>> requestReview(@PathParam("id") String id) {
        return load(id)
                .flatMap(folded -> folded.exists()
                        ? windows.windowEnd(id, folded.state().stage())
                        : Uni.createFrom().nullItem())
                .flatMap(windowEnd -> execute(id, new ProposalCommand.RequestReview(actor(), clock.instant(), windowEnd)))
                .map(decided -> RestResponse.accepted(decided.first(ReviewRequested.class).orElseThrow()));
    }

    @POST
    @Path("/{id}/withdrawal")
    @Operation(summary = "Withdraws the proposal (owner or Czar); it becomes read-only")
    @APIResponse(responseCode = "202", description = "Withdrawn")
    public Uni<RestResponse<ProposalView>> withdraw(@PathParam("id") String id,
            @Valid @NotNull ProposalRequests.Withdrawal body) {
        return execute(id, new ProposalCommand.Withdraw(actor(), identity.hasRole("czar"), body.reason()))
                .flatMap(decided -> load(id))
                .map(folded -> RestResponse.accepted(ProposalView.of(folded.state(), folded.version())));
    }

    /**
     * The components a new proposal names, or, when it names none, those of the latest policy's
     * MAINTAINERS sections that cover its paths, as get_maintainer.pl finds them (most specific first).
     */
    private Uni<List<String>> components(ProposalRequests.NewProposal body) {
        List<String> given = body.components() == null ? List.of() : body.components();
        if (!given.isEmpty()) {
            return Uni.createFrom().item(given);
        }
        List<String> paths = body.paths() == null ? List.of() : body.paths();
        if (paths.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.invalid("components",
                    "must name at least one component, or be left out with paths given to derive them from"));
        }
        return policyComponents.areas().map(areas -> {
            List<String> derived = PathCoverage.componentsFor(areas, paths);
            if (derived.isEmpty()) {
                throw ProblemException.invalid("components", "none given, and no component of the policy "
                        + "(PUT /policy/maintainers) covers the paths " + paths);
            }
            return derived;
        });
    }

    /** Folds the proposal, decides, appends the events and their outbox rows in one transaction; counted. */
    private Uni<Decided<Proposal, LifecycleEvent>> execute(String id, ProposalCommand command) {
        return store.execute(ProposalDecider.DECIDER, id, command, command.actor(), COMMAND);
    }

    private Uni<EventStore.Folded<Proposal>> load(String id) {
        return store.fold(ProposalDecider.DECIDER, id);
    }

    private String actor() {
        return Caller.subject(token);
    }

    private static void checkSpecSize(String spec) {
        if (spec != null && spec.getBytes(StandardCharsets.UTF_8).length > MAX_SPEC_BYTES) {
            throw new ProblemException(Problem.of(413, "spec-too-large", "Spec too large",
                    "spec: at most 1 MiB of Markdown").withErrors(List.of(
                    new Problem.FieldError("spec", "must be at most 1 MiB"))));
        }
    }
}
