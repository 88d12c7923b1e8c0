package org.pvlifecycle.mail.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pvlifecycle.conventions.rest.Caller;
import org.pvlifecycle.conventions.rest.Problem;
import org.pvlifecycle.conventions.rest.ProblemException;
import org.pvlifecycle.conventions.rest.QueryParameters;
import org.pvlifecycle.mail.DkimUnavailableException;
import org.pvlifecycle.mail.MailBridge;
import org.pvlifecycle.mail.Outcome;
import org.pvlifecycle.mail.domain.InvalidHeaderException;
import org.pvlifecycle.mail.domain.MailMessage;
import org.pvlifecycle.mail.domain.Mbox;
import org.pvlifecycle.mail.persistence.MessageRepository;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * List messages in (docs/api.md#mail-service-8086): one raw message, or an mbox archive, each
 * message applied as {@link MailBridge} says; and what was received and done.
 */
@Authenticated
@Path("/messages")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "messages", description = "List messages in, and what each one did")
public class MessageResource {
    /** docs/api.md's limit for one message. */
    public static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
    public static final String RFC822 = "message/rfc822";
    public static final String MBOX = "application/mbox";

    @Inject
    MailBridge bridge;

    @Inject
    MessageRepository messages;

    @POST
    @Consumes(RFC822)
    @RolesAllowed({Caller.MAIL_GATEWAY, "operator"})
    @Operation(summary = "Receives one list message (raw RFC 822) and applies what it says")
    @APIResponse(responseCode = "202", description = "Received: APPLIED, PENDING (the review service is away; it is retried), IGNORED, REJECTED or DUPLICATE")
    @APIResponse(responseCode = "413", description = "Larger than 10 MiB")
    @APIResponse(responseCode = "422", description = "No Message-ID, or no From with an address; the problem names the header")
    @APIResponse(responseCode = "503", description = "A DKIM signature is required and its key could not be looked up now: send it again later")
    public Uni<RestResponse<MessageViews.Receipt>> receive(byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > MAX_MESSAGE_BYTES) {
            throw tooLarge(raw.length);
        }
        return offloaded(() -> parse(raw))
                .flatMap(message -> bridge.receive(message, raw))
                .onFailure(DkimUnavailableException.class).transform(MessageResource::unavailable)
                .map(m -> RestResponse.status(RestResponse.Status.ACCEPTED, MessageViews.Receipt.of(m)));
    }

    @POST
    @Path("mbox")
    @Consumes(MBOX)
    @RolesAllowed({Caller.MAIL_GATEWAY, "operator"})
    @Operation(summary = "Imports an mbox archive (mboxrd, as list archives export it), message by message, in its order")
    @APIResponse(responseCode = "202", description = "Imported: the number of messages of each outcome, and those refused (no Message-ID or From, too large)")
    @APIResponse(responseCode = "422", description = "Not an mbox archive")
    public Uni<RestResponse<MessageViews.Import>> importArchive(byte[] body) {
        byte[] archive = body == null ? new byte[0] : body;
        return offloaded(() -> split(archive)).flatMap(raws -> {
            Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                outcomes.put(o, 0);
            }
            List<MessageViews.Refused> refused = new ArrayList<>();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (int i = 0; i < raws.size(); i++) {
                int position = i + 1;
                byte[] raw = raws.get(i);
                chain = chain.flatMap(v -> {
                    if (raw.length > MAX_MESSAGE_BYTES) {
                        refused.add(new MessageViews.Refused(position, "larger than 10 MiB"));
                        return Uni.createFrom().voidItem();
                    }
                    return offloaded(() -> MailMessage.parse(raw))
                            .flatMap(message -> bridge.receive(message, raw))
                            .invoke(m -> outcomes.merge(m.outcome(), 1, Integer::sum))
                            .replaceWithVoid()
                            .onFailure(InvalidHeaderException.class).recoverWithUni(e -> {
                                refused.add(new MessageViews.Refused(position, e.getMessage()));
                                return Uni.createFrom().voidItem();
                            });
                });
            }
            return chain.onFailure(DkimUnavailableException.class).transform(MessageResource::unavailable)
                    .map(v -> RestResponse.status(RestResponse.Status.ACCEPTED,
                    new MessageViews.Import(raws.size(), outcomes, refused)));
        });
    }

    @GET
    @Operation(summary = "Received messages, newest first, with their outcome and actions; filtered by outcome and proposal")
    public Uni<MessageViews.Page> list(@QueryParam("outcome") String outcome, @QueryParam("proposal") String proposal,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        String outcomeFilter = QueryParameters.enumValue("outcome", outcome, Outcome.class);
        int pageNumber = QueryParameters.integer("page", page, 0, 0, 1_000_000);
        int pageSize = QueryParameters.integer("size", size, 20, 1, 200);
        return messages.list(outcomeFilter == null ? null : Outcome.valueOf(outcomeFilter),
                        proposal == null || proposal.isBlank() ? null : proposal.strip(), pageNumber, pageSize)
                .map(rows -> new MessageViews.Page(pageNumber, pageSize, rows.stream().map(MessageViews.ReceivedMessage::of)
                        .toList()));
    }

    /** A message without what it takes to name it or its sender is refused naming the header (docs/mail.md). */
    private static MailMessage parse(byte[] raw) {
        try {
            return MailMessage.parse(raw);
        } catch (InvalidHeaderException e) {
            String problem = e.getMessage().substring(e.header().length() + 2);
            throw ProblemException.invalid(e.header(), problem);
        }
    }

    private static List<byte[]> split(byte[] archive) {
        try {
            return Mbox.split(archive);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("body", e.getMessage());
        }
    }

    /**
     * A DKIM key that could not be looked up now: nothing was recorded for the message, so sending
     * it again later (an archive: again whole; its messages taken already are duplicates) is safe.
     */
    private static ProblemException unavailable(Throwable e) {
        return new ProblemException(Problem.of(503, "dkim-key-unavailable", "Service Unavailable", e.getMessage()));
    }

    private static ProblemException tooLarge(int bytes) {
        return new ProblemException(Problem.of(413, "message-too-large", "Payload too large",
                "The message has " + bytes + " bytes; at most " + MAX_MESSAGE_BYTES + " (10 MiB) are taken"));
    }

    /**
     * Reading a message (MIME decoding, an archive's split) takes CPU time in proportion to its size:
     * it runs on a worker thread, and the result comes back to the request's context, where its
     * database session lives.
     */
    private static <T> Uni<T> offloaded(Supplier<T> work) {
        Context context = Vertx.currentContext();
        Uni<T> result = Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return context == null ? result : result.emitOn(task -> context.runOnContext(v -> task.run()));
    }
}
