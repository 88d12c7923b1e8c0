package org.pvlifecycle.projection.api;

import org.pvlifecycle.conventions.rest.QueryParameters;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StructuredCloudEvent;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.conventions.rest.ProblemException;
import org.pvlifecycle.projection.domain.LoggedEvent;
import org.pvlifecycle.projection.domain.ProposalHistory;
import org.pvlifecycle.projection.domain.ProposalRow;
import org.pvlifecycle.projection.domain.Statistics;
import org.pvlifecycle.projection.persistence.ListPages;
import org.pvlifecycle.projection.persistence.Reports;
import org.pvlifecycle.projection.persistence.LogSlices;
import org.pvlifecycle.projection.persistence.LogFolds;
import org.pvlifecycle.projection.persistence.ProjectionRepository;
import org.pvlifecycle.projection.persistence.ProposalDocuments;
import org.pvlifecycle.projection.persistence.ProposalViews;
import org.pvlifecycle.projection.persistence.StreamConfig;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The read side of docs/api.md: lists, full views (as of any instant), timelines, objections, statistics. */
@Path("/")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "read models", description = "Views of every proposal, built from every service's events")
public class ReadResource {
    @Inject
    ProjectionRepository repository;

    @Inject
    LogFolds logFolds;

    @Inject
    ProposalDocuments documents;

    @Inject
    Clock clock;

    @Inject
    Reports reports;

    @Inject
    ProposalViews views;

    @Inject
    ListPages pages;

    @Inject
    StreamConfig streams;

    @Inject
    LogSlices slices;

    /** A page of rows of {@code GET /proposals}; the list writes it from each row's ready JSON. */
    public record Page(int page, int size, List<ProposalRow> items) {
    }

    /** {@code GET /proposals/{id}}: the history, and the instant it describes. */
    public record FullView(Instant asOf, ProposalHistory proposal) {
    }

    /** One entry of a timeline: the event and its place in the projection's log. */
    public record TimelineEntry(long position, StructuredCloudEvent event) {
    }

    @GET
    @Path("proposals")
    @Operation(summary = "Proposals, filtered by stage, blocked and text, paged in id order")
    @APIResponse(responseCode = "200", description = "A page of proposals",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Page.class)))
    public Uni<Buffer> list(@QueryParam("stage") String stage, @QueryParam("blocked") String blocked,
            @QueryParam("q") String q, @QueryParam("page") String page, @QueryParam("size") String size) {
        String stageFilter = QueryParameters.enumValue("stage", stage, Stage.class);
        Boolean blockedFilter = QueryParameters.bool("blocked", blocked);
        int pageNumber = QueryParameters.integer("page", page, 0, 0, 1_000_000);
        int pageSize = QueryParameters.integer("size", size, 20, 1, 200);
        Instant now = clock.instant();
        // Each row's JSON was written with the row: the answer is put together from it, instead of
        // reading every column, parsing the blockers' JSON and serializing the rows on each read.
        return pages.listed(new ListPages.Query(stageFilter, blockedFilter, q, pageNumber, pageSize))
                .map(rows -> views.listAnswer(pageNumber, pageSize, rows, now));
    }

    @GET
    @Path("proposals/{id}")
    @Operation(summary = "Everything about a proposal; with asOf, as it was at that instant")
    @APIResponse(responseCode = "200", description = "The proposal's full view",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FullView.class)))
    public Uni<Buffer> proposal(@PathParam("id") String id, @QueryParam("asOf") String asOf) {
        Instant at = QueryParameters.instant("asOf", asOf);
        if (at != null) {
            return foldedAnswer(id, at);
        }
        // Now: the document written with the proposal's last event; folded only when there is none yet.
        return documents.document(id).flatMap(document -> document != null
                ? Uni.createFrom().item(views.answer(clock.instant(), document))
                : foldedAnswer(id, null));
    }

    private Uni<Buffer> foldedAnswer(String id, Instant at) {
        return folded(id, at).map(view -> Buffer.buffer(views.json(view)));
    }

    private Uni<FullView> folded(String id, Instant at) {
        return logFolds.foldSnapshot(id, at).map(history -> {
            if (history == null) {
                throw ProblemException.notFound(at == null ? "proposal " + id : "proposal " + id + " as of " + at);
            }
            return new FullView(at == null ? clock.instant() : at, history);
        });
    }

    /** The most events a timeline reads at a time; {@link StreamConfig#keptBytes} bounds their bytes too. */
    static final int TIMELINE_SLICE = 500;

    /**
     * Sent as it is read, slice by slice (a JSON array whose entries are written as they come): a
     * contested proposal's timeline holds each of its eligibility changes whole, every open
     * objection in each, hundreds of MB with a few thousand objections, more than the service's
     * heap. Whether there is a timeline at all is known before the answer starts
     * ({@link #unknownProposalsHaveNoTimeline}).
     */
    @GET
    @Path("proposals/{id}/timeline")
    @Operation(summary = "Every event of the proposal from every service, in time order")
    @APIResponse(responseCode = "200", description = "The proposal's events, each with its place in the log",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = TimelineEntry.class)))
    public Multi<Buffer> timeline(@PathParam("id") String id) {
        long maxBytes = streams.keptBytes().asLongValue();
        AtomicReference<LoggedEvent> last = new AtomicReference<>();
        return Multi.createBy().repeating()
                .uni(() -> {
                    LoggedEvent after = last.get();
                    return slices.timeline(id, after == null ? null : after.time(),
                            after == null ? 0 : after.position(), TIMELINE_SLICE, maxBytes);
                })
                .whilst(LogSlices.Slice::more)
                .onItem().transformToIterable(slice -> {
                    List<LoggedEvent> events = slice.events();
                    if (!events.isEmpty()) {
                        last.set(events.get(events.size() - 1));
                    }
                    return events.stream().map(e -> Buffer.buffer(views.json(new TimelineEntry(e.position(), structured(e)))))
                            .toList();
                });
    }

    /** A proposal without events has no timeline: a 404 problem, before the answer's 200 goes out. */
    @ServerRequestFilter
    public Uni<Response> unknownProposalsHaveNoTimeline(ContainerRequestContext request) {
        Matcher timeline = TIMELINE.matcher(request.getUriInfo().getPath());
        if (!"GET".equals(request.getMethod()) || !timeline.matches()) {
            return Uni.createFrom().nullItem();
        }
        String id = timeline.group(1);
        return slices.hasEvents(id).map(has -> {
            if (!has) {
                throw ProblemException.notFound("proposal " + id);
            }
            return null;
        });
    }

    private static final Pattern TIMELINE = Pattern.compile("/proposals/([^/]+)/timeline/?");

    @GET
    @Path("objections")
    @Operation(summary = "Objections across proposals, filtered by status, author and proposal")
    public Uni<List<ObjectionRow>> objections(@QueryParam("status") String status, @QueryParam("author") String author,
            @QueryParam("proposal") String proposal) {
        String statusFilter = QueryParameters.oneOf("status", status,
                List.of("OPEN", "ANSWERED", "REAFFIRMED", "WITHDRAWN", "OVERRULED", "LAPSED"));
        return reports.objections(proposal == null || proposal.isBlank() ? null : proposal.strip())
                .map(objections -> objections.stream()
                        .filter(o -> statusFilter == null || o.objection().status().equals(statusFilter))
                        .filter(o -> author == null || author.isBlank() || o.objection().author().equals(author.strip()))
                        .map(o -> new ObjectionRow(o.proposal(), o.objection()))
                        .toList());
    }

    /** One row of {@code GET /objections}. */
    public record ObjectionRow(String proposal, ProposalHistory.Objection objection) {
    }

    @GET
    @Path("stats")
    @Operation(summary = "Proposals per stage, times in stage and per transition, objection outcomes, overdue decisions")
    public Uni<Statistics.Report> stats() {
        return reports.stats(clock::instant);
    }

    static StructuredCloudEvent structured(LoggedEvent e) {
        return StructuredCloudEvent.of(new EventEnvelope<>(e.id(), e.source(), e.type(), e.subject(), e.time(),
                e.sequence(), e.actor(), e.data()));
    }
}
