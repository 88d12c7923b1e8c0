package org.pvlifecycle.proposal.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
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
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.pvlifecycle.conventions.rest.Caller;
import org.pvlifecycle.conventions.rest.Problem;
import org.pvlifecycle.conventions.rest.ProblemException;
import org.pvlifecycle.events.EvidenceDetail;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.StructuredCloudEvent;
import org.pvlifecycle.events.paths.PathCoverage;
import org.pvlifecycle.eventstore.Decided;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.eventstore.Execution;
import org.pvlifecycle.proposal.domain.Proposal;
import org.pvlifecycle.proposal.domain.ProposalCommand;
import org.pvlifecycle.proposal.domain.ProposalDecider;
import org.pvlifecycle.proposal.persistence.PolicyComponentsRepository;
import org.pvlifecycle.proposal.persistence.ReviewWindowRepository;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    @Inject
    ObjectMapper mapper;

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

    /** The most events {@link #events} reads at a time, and their payloads' most bytes (one always comes). */
    static final int EVENTS_PAGE = 100;
    static final long EVENTS_PAGE_BYTES = 8L * 1024 * 1024;

    /**
     * Sent as it is read, a page at a time (a JSON array whose entries are written as they come):
     * each revision carries its whole spec, up to a MiB, so a long history read at once could be
     * more than the service's heap, and any reader could bring it down. Whether the proposal
     * exists is known before the answer starts ({@link #unknownProposalsHaveNoEvents}).
     */
    @GET
    @Path("/{id}/events")
    @Operation(summary = "The proposal's own events, in order, as structured CloudEvents")
    @APIResponse(responseCode = "200", description = "The proposal's events, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = StructuredCloudEvent.class)))
    @APIResponse(responseCode = "404", description = "No such proposal")
    public Multi<Buffer> events(@PathParam("id") String id) {
        AtomicLong after = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(() -> store.loadPage(id, after.get(), EVENTS_PAGE, EVENTS_PAGE_BYTES))
                .whilst(page -> !page.isEmpty())
                .onItem().transformToIterable(page -> {
                    if (!page.isEmpty()) {
                        after.set(page.get(page.size() - 1).sequence());
                    }
                    return page.stream().map(e -> Buffer.buffer(json(StructuredCloudEvent.of(e)))).toList();
                });
    }

    /** A proposal without events has none to list: a 404 problem, before the answer's 200 goes out. */
    @ServerRequestFilter
    public Uni<Response> unknownProposalsHaveNoEvents(ContainerRequestContext request) {
        Matcher events = EVENTS.matcher(request.getUriInfo().getPath());
        if (!"GET".equals(request.getMethod()) || !events.matches()) {
            return Uni.createFrom().nullItem();
        }
        String id = events.group(1);
        return store.loadPage(id, 0, 1, 1).map(first -> {
            if (first.isEmpty()) {
                throw ProblemException.notFound("proposal " + id);
            }
            return null;
        });
    }

    private static final Pattern EVENTS = Pattern.compile("/proposals/([^/]+)/events/?");

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event could not be written as JSON", e);
        }
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
