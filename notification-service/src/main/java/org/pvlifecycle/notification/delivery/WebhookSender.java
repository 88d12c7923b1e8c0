package org.pvlifecycle.notification.delivery;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.notification.HostLookup;
import org.pvlifecycle.notification.domain.Targets;
import org.pvlifecycle.notification.domain.WebhookSignature;
import org.pvlifecycle.notification.persistence.NotificationRepository;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Webhooks signed the Standard Webhooks way: {@code webhook-id} is the delivery id, the same on
 * every retry, so a receiver can drop a repeat.
 */
@ApplicationScoped
public class WebhookSender implements Sender {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    DeliveriesConfig deliveries;

    @Inject
    WebhooksConfig webhooks;

    @Override
    public String channel() {
        return "WEBHOOK";
    }

    /**
     * Checks the target again before each attempt, as the subscription was checked: its host may
     * resolve elsewhere by now (a link-local or metadata address), or the operator may have
     * narrowed the allowed hosts since: refused, the delivery dies. A host that does not resolve
     * now is retried instead. Resolving blocks, so it runs on a worker thread.
     */
    @Override
    public Uni<Integer> send(NotificationRepository.Claimed delivery, Instant at) {
        return Uni.createFrom().item(() -> check(delivery.target()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(refusal -> refusal == null ? post(delivery, at)
                        : Uni.createFrom().failure(Targets.UNRESOLVED.equals(refusal)
                                ? new java.net.UnknownHostException("the target's host does not resolve now")
                                : new Refused(refusal)));
    }

    /** The check {@link #send} makes, without the host that does not resolve now: that one is retried. */
    @Override
    public String refusal(String target) {
        String refusal = check(target);
        return Targets.UNRESOLVED.equals(refusal) ? null : refusal;
    }

    private String check(String target) {
        return Targets.refusal(channel(), target, webhooks.allowed(), HostLookup::addressesOf);
    }

    private Uni<Integer> post(NotificationRepository.Claimed c, Instant at) {
        long seconds = at.getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(c.target()))
                    .timeout(deliveries.timeout())
                    .header("content-type", "application/json")
                    .header("webhook-id", c.id())
                    .header("webhook-timestamp", String.valueOf(seconds))
                    .header("webhook-signature", WebhookSignature.sign(c.secret(), c.id(), seconds, c.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(c.body()))
                    .build();
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("bad target: " + e.getMessage()));
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(HttpResponse::statusCode);
    }
}
