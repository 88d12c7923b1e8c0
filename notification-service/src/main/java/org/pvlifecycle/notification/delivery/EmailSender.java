package org.pvlifecycle.notification.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.notification.persistence.NotificationRepository;

import java.time.Instant;

/** E-mails over SMTP; the delivery's body holds the rendered message (subject, text, html). */
@ApplicationScoped
public class EmailSender implements Sender {

    @Inject
    ReactiveMailer mailer;

    @Override
    public String channel() {
        return "EMAIL";
    }

    /** SMTP answers no status code worth keeping. */
    @Override
    public Uni<Integer> send(NotificationRepository.Claimed delivery, Instant at) {
        JsonNode message = EventJson.tree(delivery.body());
        Mail mail = Mail.withText(delivery.target(), message.path("subject").asText(), message.path("text").asText())
                .setHtml(message.path("html").asText());
        mail.addHeader("Message-ID", "<" + delivery.id() + "@pv-lifecycle>");
        return mailer.send(mail).replaceWith((Integer) null);
    }
}
