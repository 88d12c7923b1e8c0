package org.pvlifecycle.notification.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.notification.domain.ListThread;
import org.pvlifecycle.notification.messaging.NoticesConfig;
import org.pvlifecycle.notification.persistence.ListRepository;
import org.pvlifecycle.notification.persistence.NotificationRepository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts to the mailing list over SMTP (the Quarkus mailer, as {@link EmailSender}): one plain-text
 * message carrying a proposal's gathered notices, a reply in the proposal's thread. What it sends
 * is one claimed {@link ListRepository.Batch}, handed over as a delivery whose id is the message's
 * own and whose body holds the thread and the notices ({@link #asDelivery}).
 */
@ApplicationScoped
public class ListSender implements Sender {

    @Inject
    ReactiveMailer mailer;

    @Inject
    NoticesConfig notices;

    @Override
    public String channel() {
        return "LIST";
    }

    /**
     * The batch as the worker hands it to a sender: {@code messageKey} names the message (its
     * Message-ID is {@link ListThread#messageId} of it), the target is the configured list.
     */
    static NotificationRepository.Claimed asDelivery(ListRepository.Batch batch, String messageKey, String address) {
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("proposalId", batch.proposalId());
        body.put("title", batch.title());
        body.put("root", batch.rootMessageId());
        body.put("standing", batch.standing());
        ArrayNode items = body.putArray("items");
        for (NotificationRepository.Claimed member : batch.members()) {
            items.add(EventJson.tree(member.body()));
        }
        NotificationRepository.Claimed first = batch.members().get(0);
        // The message's attempts are those of its furthest notice's current series: what its retry waits by.
        int attempts = batch.members().stream().mapToInt(NotificationRepository.Claimed::seriesAttempts).max().orElse(0);
        try {
            return new NotificationRepository.Claimed(messageKey, first.subscriptionId(), first.eventId(),
                    first.eventType(), batch.proposalId(), "LIST", address, null,
                    EventJson.mapper().writeValueAsString(body), attempts, 0);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SMTP answers no status code worth keeping. */
    @Override
    public Uni<Integer> send(NotificationRepository.Claimed delivery, Instant at) {
        JsonNode message = EventJson.tree(delivery.body());
        String proposalId = message.path("proposalId").asText();
        String root = text(message, "root");
        List<ListThread.Item> items = new ArrayList<>();
        for (JsonNode item : message.path("items")) {
            try {
                items.add(EventJson.mapper().treeToValue(item, ListThread.Item.class));
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(new Refused("unreadable notice: " + e.getOriginalMessage()));
            }
        }
        String title = text(message, "title");
        Mail mail = Mail.withText(delivery.target(), ListThread.subject(proposalId, title, root != null),
                ListThread.body(proposalId, title, items, text(message, "standing"), link(proposalId)));
        mail.addHeader("Message-ID", "<" + ListThread.messageId(delivery.id()) + ">");
        if (root != null) {
            // The thread's root as both parent and ancestry: list archives and mail readers thread on either.
            mail.addHeader("In-Reply-To", "<" + root + ">");
            mail.addHeader("References", "<" + root + ">");
        }
        // RFC 3834: a machine wrote it, so vacation responders and other robots do not answer it.
        mail.addHeader("Auto-Submitted", "auto-generated");
        return mailer.send(mail).replaceWith((Integer) null);
    }

    private String link(String proposalId) {
        String base = notices.linkBase();
        return (base.endsWith("/") ? base : base + "/") + "proposals/" + proposalId;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
