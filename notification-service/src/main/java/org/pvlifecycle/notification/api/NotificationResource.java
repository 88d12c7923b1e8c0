package org.pvlifecycle.notification.api;

import org.pvlifecycle.notification.delivery.DeliveryWorker;
import org.pvlifecycle.notification.delivery.ListConfig;
import org.pvlifecycle.notification.delivery.WebhooksConfig;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.conventions.rest.Caller;
import org.pvlifecycle.conventions.rest.ProblemException;
import org.pvlifecycle.conventions.rest.QueryParameters;
import org.pvlifecycle.notification.HostLookup;
import org.pvlifecycle.notification.domain.Targets;
import org.pvlifecycle.notification.domain.WebhookSignature;
import org.pvlifecycle.notification.persistence.NotificationRepository;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Subscriptions and the delivery log (docs/api.md): each person sees and changes only their own. */
@Path("/")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "notifications", description = "Webhook, e-mail and mailing-list subscriptions, notices, and their deliveries")
public class NotificationResource {
    /** The subscription type for the notices that concern the subscriber (docs/api.md). */
    static final String NOTICES = "notices";

    @Inject
    NotificationRepository repository;

    @Inject
    JsonWebToken token;

    @Inject
    SecurityIdentity identity;

    @Inject
    Clock clock;

    @Inject
    WebhooksConfig webhooks;

    @Inject
    ListConfig list;

    @Inject
    DeliveryWorker worker;

    public record NewSubscription(
            @NotNull @Pattern(regexp = "WEBHOOK|EMAIL|LIST", message = "must be WEBHOOK, EMAIL or LIST") String channel,
            @Size(max = 2000) String target,
            @NotEmpty @Size(max = 50) List<@NotBlank String> types,
            @Pattern(regexp = "[a-z0-9-]{2,40}", message = "must be a proposal id") String proposal,
            @Size(max = 200) String secret) {
    }

    /** The answer to a new subscription: a webhook's secret is shown this once. */
    public record Subscribed(String id, String channel, String target, List<String> types, String proposal,
            boolean czar, String secret) {
    }

    @POST
    @Path("subscriptions")
    @Operation(summary = "Subscribes a webhook or an e-mail address to event types (or *) and to the notices "
            + "that concern you (notices), optionally for one proposal; an operator subscribes the mailing list (LIST)",
            description = "A webhook's secret is generated when none is given and shown in this answer only. "
                    + "LIST posts to the configured mailing list (the target may be left out), as replies in each "
                    + "proposal's thread, at most one message per proposal per interval; with notices it gets every "
                    + "notice of the proposals, whoever they concern. "
                    + "Notices go to the subscriber: objections against your proposals, answers to your objections "
                    + "(with a reminder before the deadline), your objections lapsed or overruled, review windows "
                    + "on proposals you reviewed or whose components you maintain under the policy, your proposals "
                    + "advanced; eligible proposals and overdue decisions "
                    + "when you subscribe with the czar role.")
    public Uni<RestResponse<Subscribed>> subscribe(@Valid @NotNull NewSubscription body) {
        for (String type : body.types()) {
            if (!type.equals("*") && !type.equals(NOTICES) && EventType.byName(type).isEmpty()) {
                throw ProblemException.invalid("types", type + " is not an event type of the contract, * or notices");
            }
        }
        boolean webhook = "WEBHOOK".equals(body.channel());
        String target = body.target() == null ? null : body.target().strip();
        if ("LIST".equals(body.channel())) {
            // The list is read by the whole community: posting to it is the operator's decision, and only to
            // the list the service is configured for.
            if (!identity.hasRole("operator")) {
                throw new ForbiddenException("only an operator subscribes the mailing list");
            }
            if (target == null || target.isEmpty()) {
                target = list.address();
            } else if (!target.toLowerCase(Locale.ROOT).equals(list.address().toLowerCase(Locale.ROOT))) {
                throw ProblemException.invalid("target", "must be the configured list address " + list.address());
            }
        } else if (target == null || target.isEmpty()) {
            throw ProblemException.invalid("target", "must not be blank");
        }
        if (!webhook && body.secret() != null) {
            throw ProblemException.invalid("secret", "only a WEBHOOK subscription has a secret");
        }
        if (body.secret() != null && !WebhookSignature.isValidSecret(body.secret())) {
            throw ProblemException.invalid("secret", "must be whsec_ followed by base64 of at least 16 bytes");
        }
        String secret = !webhook ? null : body.secret() != null ? body.secret() : WebhookSignature.newSecret();
        NotificationRepository.Subscription s = new NotificationRepository.Subscription(UUID.randomUUID().toString(),
                Caller.subject(token), body.channel(), target, List.copyOf(new LinkedHashSet<>(body.types())),
                body.proposal(), identity.hasRole("czar"), clock.instant());
        // Checking the target resolves its host name: a blocking call, so it runs on a worker thread,
        // and the answer comes back to this request's Vert.x context for the database.
        Context context = Vertx.currentContext();
        return Uni.createFrom().item(() -> Targets.refusal(body.channel(), s.target(), webhooks.allowed(),
                        HostLookup::addressesOf))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(task -> context.runOnContext(v -> task.run()))
                .flatMap(refusal -> {
                    if (refusal != null) {
                        throw ProblemException.invalid("target", refusal);
                    }
                    return subscribe(s, secret);
                });
    }

    private Uni<RestResponse<Subscribed>> subscribe(NotificationRepository.Subscription s, String secret) {
        return repository.subscribe(s, secret).map(v -> RestResponse.ResponseBuilder
                .<Subscribed>created(URI.create("/subscriptions/" + s.id()))
                .entity(new Subscribed(s.id(), s.channel(), s.target(), s.types(), s.proposal(), s.czar(), secret))
                .build());
    }

    @GET
    @Path("subscriptions")
    @Operation(summary = "Your subscriptions (secrets are never shown again)")
    public Uni<List<NotificationRepository.Subscription>> subscriptions() {
        return repository.subscriptionsOf(Caller.subject(token));
    }

    @DELETE
    @Path("subscriptions/{sid}")
    @Operation(summary = "Ends one of your subscriptions; someone else's is not found")
    public Uni<RestResponse<Void>> unsubscribe(@PathParam("sid") String sid) {
        return repository.unsubscribe(Caller.subject(token), sid).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("subscription " + sid);
            }
            return RestResponse.noContent();
        });
    }

    @GET
    @Path("deliveries")
    @Operation(summary = "The delivery log with every attempt: yours, or everyone's for an operator",
            description = "Each delivery has its attempts (attemptLog) and its retries by hand (retries: who, "
                    + "when, and after which attempt, in the order they were made; empty when it never was).")
    public Uni<List<NotificationRepository.Delivery>> deliveries(@QueryParam("status") String status,
            @QueryParam("subscription") String subscription, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        String statusFilter = QueryParameters.oneOf("status", status, List.of("PENDING", "DELIVERED", "DEAD", "CANCELLED"));
        int pageNumber = QueryParameters.integer("page", page, 0, 0, 1_000_000);
        int pageSize = QueryParameters.integer("size", size, 50, 1, 200);
        String owner = identity.hasRole("operator") ? null : Caller.subject(token);
        return repository.deliveries(owner, statusFilter, subscription == null || subscription.isBlank() ? null
                : subscription.strip(), pageNumber, pageSize);
    }

    @POST
    @Path("deliveries/{id}/retry")
    // It takes no body: a bare POST, without a Content-Type, is how it is called.
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Retries a dead delivery: yours, or anyone's for an operator; someone else's is not found",
            description = "The delivery is pending again, due now, with a new series of attempts (the retry policy's "
                    + "full count and backoff), numbered after the earlier ones, which the log keeps. Its target is "
                    + "checked again as before every attempt: one refused now is a 409 (target-refused). A delivery "
                    + "that is not DEAD is a 409 (delivery-not-dead): one delivered needs nothing, a pending one is "
                    + "being retried already, and a cancelled one (a reminder that no longer applies) must not go. "
                    + "Should it die again, delivery-failed goes out again. Each retry is recorded in the delivery's "
                    + "retries, which GET /deliveries shows: by (the caller: its owner, or the operator who put "
                    + "someone else's back), at, and afterAttempt (the attempts made before it); a refused retry "
                    + "(404, 409) records nothing.")
    @APIResponse(responseCode = "202", description = "Pending again; the delivery as GET /deliveries shows it, "
            + "this retry last in its retries")
    @APIResponse(responseCode = "404", description = "No such delivery of yours")
    @APIResponse(responseCode = "409", description = "Not DEAD (delivery-not-dead), or its target is refused now "
            + "(target-refused)")
    public Uni<RestResponse<NotificationRepository.Delivery>> retry(@PathParam("id") String id) {
        // Anyone else's delivery is not found, as their subscriptions are: its existence is theirs to know.
        String owner = identity.hasRole("operator") ? null : Caller.subject(token);
        // Who put it back is recorded with it: an operator's retry sends someone else's data again.
        String by = Caller.subject(token);
        Context context = Vertx.currentContext();
        return repository.retryable(owner, id).flatMap(found -> {
            if (found == null) {
                throw ProblemException.notFound("delivery " + id);
            }
            if (!"DEAD".equals(found.status())) {
                throw notDead(id, found.status());
            }
            // The check an attempt makes resolves the target's host: a blocking call, so it runs on a
            // worker thread, and the answer comes back to this request's Vert.x context for the database.
            return Uni.createFrom().item(() -> worker.refusal(found.channel(), found.target()))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .emitOn(task -> context.runOnContext(v -> task.run()))
                    .flatMap(refusal -> {
                        if (refusal != null) {
                            // Put back, it would die at its first attempt and announce it: refused here instead.
                            throw ProblemException.conflict("target-refused", "delivery " + id
                                    + " cannot be retried: its target " + refusal);
                        }
                        return repository.retry(owner, id, clock.instant(), by);
                    })
                    .flatMap(retried -> {
                        if (!retried) {
                            // Another retry (its owner's or an operator's) put it back between the read and the update.
                            return repository.retryable(owner, id).flatMap(now -> Uni.createFrom()
                                    .<RestResponse<NotificationRepository.Delivery>>failure(now == null
                                            ? ProblemException.notFound("delivery " + id) : notDead(id, now.status())));
                        }
                        worker.revived(found.channel());
                        return repository.delivery(owner, id).map(RestResponse::accepted);
                    });
        });
    }

    private static ProblemException notDead(String id, String status) {
        return ProblemException.conflict("delivery-not-dead", "delivery " + id + " is " + status
                + ": only a DEAD delivery is retried");
    }

}
