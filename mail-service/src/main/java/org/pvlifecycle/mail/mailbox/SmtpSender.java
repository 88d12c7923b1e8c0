package org.pvlifecycle.mail.mailbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.pvlifecycle.mail.MailConfig;
import org.pvlifecycle.mail.domain.Reply;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/**
 * Sends a reply over SMTP (Jakarta Mail), blocking: the caller runs it on a worker thread.
 * Plain text in UTF-8, in the thread of the message it answers, marked {@code Auto-Submitted:
 * auto-replied} (RFC 3834) so that other robots, vacation replies included, do not answer it.
 */
@ApplicationScoped
public class SmtpSender {

    /** The server refused the message for good (a recipient it does not take): sending it again changes nothing. */
    public static final class Refused extends Exception {
        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Inject
    MailConfig config;

    @Inject
    Clock clock;

    public boolean configured() {
        return config.smtp().host().isPresent();
    }

    /** The domain of the replies' {@code From}: the right-hand side of their Message-IDs. */
    public String fromDomain() {
        try {
            String address = new InternetAddress(config.smtp().from()).getAddress();
            int at = address.lastIndexOf('@');
            return at < 0 ? "localhost" : address.substring(at + 1);
        } catch (MessagingException e) {
            return "localhost";
        }
    }

    /**
     * Sends {@code reply}; a {@link Refused} when the server refuses it for good, a
     * {@link MessagingException} when it is away or fails for now.
     */
    public void send(Reply reply) throws MessagingException, Refused {
        MailConfig.Smtp smtp = config.smtp();
        String host = smtp.host().orElseThrow(() -> new IllegalStateException("pvl.mail.smtp.host is not set"));
        boolean implicitTls = smtp.security() == MailConfig.SmtpSecurity.TLS;
        String protocol = implicitTls ? "smtps" : "smtp";
        int port = smtp.port().orElse(implicitTls ? 465 : 587);
        String timeout = String.valueOf(smtp.timeout().toMillis());
        Properties properties = new Properties();
        properties.put("mail.transport.protocol", protocol);
        properties.put("mail." + protocol + ".host", host);
        properties.put("mail." + protocol + ".port", String.valueOf(port));
        properties.put("mail." + protocol + ".connectiontimeout", timeout);
        properties.put("mail." + protocol + ".timeout", timeout);
        properties.put("mail." + protocol + ".writetimeout", timeout);
        properties.put("mail." + protocol + ".auth", String.valueOf(smtp.user().isPresent()));
        if (smtp.security() == MailConfig.SmtpSecurity.STARTTLS) {
            // Required, not opportunistic: a password or a reply must not cross in clear text
            // because someone stripped the server's offer.
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        }
        if (smtp.security() != MailConfig.SmtpSecurity.NONE) {
            properties.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        Session session = Session.getInstance(properties);
        MimeMessage message = new FixedIdMessage(session, reply.messageId());
        message.setFrom(new InternetAddress(smtp.from()));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(reply.to()));
        message.setSubject(reply.subject(), StandardCharsets.UTF_8.name());
        message.setHeader("In-Reply-To", "<" + reply.inReplyTo() + ">");
        message.setHeader("References", String.join(" ", reply.references().stream().map(id -> "<" + id + ">").toList()));
        message.setHeader("Auto-Submitted", "auto-replied");
        message.setSentDate(Date.from(clock.instant()));
        message.setText(reply.text(), StandardCharsets.UTF_8.name());
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(host, port, smtp.user().orElse(null), smtp.password().orElse(null));
            message.saveChanges();
            transport.sendMessage(message, message.getAllRecipients());
        } catch (SendFailedException e) {
            if (refusedForGood(e)) {
                throw new Refused("the server refused the reply to " + reply.to() + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * A 5xx answer (the recipient refused, the message refused) will be the same next time; a 4xx
     * one, or a recipient the server could not take for now (Angus lists those as valid but
     * unsent), may not be.
     */
    private static boolean refusedForGood(SendFailedException e) {
        if (e instanceof SMTPSendFailedException smtp) {
            return smtp.getReturnCode() >= 500;
        }
        boolean invalid = e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0;
        boolean unsentForNow = e.getValidUnsentAddresses() != null && e.getValidUnsentAddresses().length > 0;
        return invalid && !unsentForNow;
    }

    /** A message keeping the Message-ID it was given (Jakarta Mail would make a new one when saving). */
    private static final class FixedIdMessage extends MimeMessage {
        private final String id;

        FixedIdMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + id + ">");
        }
    }
}
