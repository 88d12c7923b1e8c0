package org.pvlifecycle.projection.api;

import org.pvlifecycle.conventions.rest.QueryParameters;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.pvlifecycle.conventions.DependencyDown;
import org.pvlifecycle.conventions.rest.ProblemMappers;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.projection.domain.LoggedEvent;
import org.pvlifecycle.projection.persistence.EventLogTail;
import org.pvlifecycle.projection.persistence.LogSlices;
import org.pvlifecycle.projection.persistence.ProjectionRepository;
import org.pvlifecycle.projection.persistence.StreamConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every event as Server-Sent Events, read from the projection's own log: each carries its log
 * position as {@code id}, so {@code Last-Event-ID} (or {@code ?lastEventId=}) resumes exactly after
 * it, across reconnects and restarts of this service. Without one the stream starts at the end
 * ({@code ?from=0} replays everything). Every stream of this instance follows one shared reader of
 * the log ({@link EventLogTail}) and reads the database itself only to catch up from far behind.
 * A comment every 15 s keeps proxies from closing it. When
 * the database goes away the stream ends cleanly with a {@code retry} hint, and the client
 * resumes with {@code Last-Event-ID}; a stream asked for while it is away is a 503.
 */
@Path("/streams/events")
@Authenticated
@Tag(name = "streams", description = "Live events")
public class EventStreamResource {

    @Inject
    StreamConfig config;

    @Inject
    LogSlices slices;
    private static final Logger LOG = Logger.getLogger(EventStreamResource.class);
    static final int BATCH = 500;
    /** How long a client waits before reconnecting after the stream ended for an outage. */
    static final Duration RECONNECT_AFTER = Duration.ofSeconds(5);

    private static final Object CATCH_UP = new Object();
    private static final Object PING = new Object();

    @Inject
    ProjectionRepository repository;

    @Inject
    EventLogTail tail;

    @Inject
    MeterRegistry registry;

    private Counter catchUpReads;

    @Inject
    StreamedData written;

    @PostConstruct
    void counters() {
        catchUpReads = registry.counter("pvl.stream.log.reads", "reader", "catch-up");
    }



    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    // A gateway or proxy in front (nginx honours X-Accel-Buffering) must pass events on unbuffered.
    @ResponseHeader(name = "X-Accel-Buffering", value = "no")
    @ResponseHeader(name = "Cache-Control", value = "no-cache")
    @Operation(summary = "Every event, live; filters proposal and type; resumes after Last-Event-ID")
    public Multi<OutboundSseEvent> stream(@jakarta.ws.rs.core.Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("lastEventId") String lastEventIdParam, @QueryParam("from") String from,
            @QueryParam("proposal") String proposal, @QueryParam("type") String type) {
        if (type != null && !type.isBlank() && EventType.byName(type.strip()).isEmpty()) {
            throw QueryParameters.bad("type", "is not an event type of the contract");
        }
        String typeFilter = type == null || type.isBlank() ? null : type.strip();
        String proposalFilter = proposal == null || proposal.isBlank() ? null : proposal.strip();
        String resume = lastEventId != null && !lastEventId.isBlank() ? lastEventId : lastEventIdParam;
        long resumeAfter = resume == null || resume.isBlank() ? -1
                : QueryParameters.whole("Last-Event-ID", resume, 0, 0, Long.MAX_VALUE);
        long fromPosition = QueryParameters.whole("from", from, -1, 0, Long.MAX_VALUE);

        // Reads of the database run on this request's Vert.x context, where Hibernate Reactive may open sessions.
        Context context = Vertx.currentContext();
        Uni<Long> start = resumeAfter >= 0 ? Uni.createFrom().item(resumeAfter)
                : fromPosition >= 0 ? Uni.createFrom().item(Math.max(0, fromPosition - 1))
                : repository.lastPosition();
        return start.onItem().transformToMulti(first -> {
            AtomicLong after = new AtomicLong(first);
            // The shared tail says when the log advanced; a ping every so often keeps proxies from
            // closing a quiet stream. A signal that comes while this stream still sends is dropped:
            // the next batch reads up to the newest frontier anyway.
            Multi<Object> wakeUps = Multi.createBy().merging().streams(
                    Multi.createFrom().item(CATCH_UP),
                    tail.signals().map(signal -> (Object) signal),
                    Multi.createFrom().ticks().every(config.pingInterval()).map(tick -> (Object) PING));
            return wakeUps
                    .onOverflow().drop()
                    .emitOn(task -> context.runOnContext(v -> task.run()))
                    .onItem().transformToMultiAndConcatenate(wakeUp -> {
                        if (wakeUp instanceof EventLogTail.Unreadable unreadable) {
                            return Multi.createFrom().failure(unreadable.cause());
                        }
                        if (wakeUp == PING) {
                            return Multi.createFrom().item(sse.newEventBuilder().comment("ping").build());
                        }
                        return Multi.createBy().repeating().uni(() -> nextBatch(after.get()))
                                .whilst(Batch::more)
                                .onItem().transformToIterable(batch -> {
                                    if (batch.read() > 0) {
                                        after.set(batch.lastPosition());
                                    }
                                    return batch.matching(proposalFilter, typeFilter).stream()
                                            .map(e -> toSse(sse, e, batch.fromMemory() ? written.of(e)
                                                    : StreamedData.write(e))).toList();
                                });
                    })
                    // The database went away: end the stream cleanly, telling the client when to come
                    // back; it resumes exactly after the last id it got (Last-Event-ID).
                    .onFailure().recoverWithMulti(failure -> {
                        LOG.infof("ending an event stream after position %d: %s", after.get(), failure.getMessage());
                        return Multi.createFrom().item(sse.newEventBuilder()
                                .comment("the event log is unavailable; reconnect with Last-Event-ID")
                                .reconnectDelay(RECONNECT_AFTER.toMillis())
                                .build());
                    });
        });
    }

    /** The events after {@code after} up to the tail's frontier: from memory when it holds them, else from the database. */
    private Uni<Batch> nextBatch(long after) {
        return tail.kept(after, BATCH)
                .map(events -> Uni.createFrom().item(new Batch(events, true, events.size() == BATCH)))
                .orElseGet(() -> {
                    long upTo = tail.upTo();
                    if (upTo >= 0 && after >= upTo) {
                        return Uni.createFrom().item(new Batch(List.of(), true, false));
                    }
                    catchUpReads.increment();
                    return slices.after(after, BATCH, config.keptBytes().asLongValue()).map(slice -> {
                        List<LoggedEvent> events = upTo < 0 ? slice.events()
                                : slice.events().stream().filter(e -> e.position() <= upTo).toList();
                        return new Batch(events, false, slice.more() && events.size() == slice.events().size());
                    });
                });
    }

    /**
     * A batch of the log in position order, before this stream's filters; {@code fromMemory}: read
     * from the tail's newest events, which every live stream sends, so their data is written once
     * for all ({@link StreamedData}); a stream catching up from the database writes its own.
     * {@code more}: the log goes on past it, so the stream reads on at once.
     */
    record Batch(List<LoggedEvent> events, boolean fromMemory, boolean more) {
        int read() {
            return events.size();
        }

        long lastPosition() {
            return events.get(events.size() - 1).position();
        }

        List<LoggedEvent> matching(String proposal, String type) {
            return events.stream()
                    .filter(e -> proposal == null || proposal.equals(e.subject()))
                    .filter(e -> type == null || type.equals(e.type().typeName()))
                    .toList();
        }
    }

    /**
     * A stream's status and headers are sent as soon as it is subscribed to, before its first
     * query: so the log is read once before, and a database that is away is a 503 problem, not
     * a 200 stream that ends at once.
     */
    @ServerRequestFilter
    public Uni<Response> refuseWhileTheLogIsAway(ContainerRequestContext request) {
        if (!"GET".equals(request.getMethod()) || !"/streams/events".equals(request.getUriInfo().getPath())) {
            return Uni.createFrom().nullItem();
        }
        return repository.lastPosition().replaceWith((Response) null)
                .onFailure(DependencyDown::is)
                .recoverWithItem(failure -> ProblemMappers.unavailable(failure, request.getUriInfo().getPath()));
    }


    static OutboundSseEvent toSse(Sse sse, LoggedEvent e, String data) {
        return sse.newEventBuilder()
                .id(String.valueOf(e.position()))
                .name(e.type().typeName())
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(data)
                .build();
    }
}
