package org.pvlifecycle.localstack;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A received e-mail as the local SMTP server prints it and the tests read it: to, from, subject, text
 * and html, and the threading headers when it has them ({@code message-id}, {@code in-reply-to},
 * {@code references}; a list's thread is checked by them).
 */
public final class ReceivedMail {
    private ReceivedMail() {
    }

    public static Map<String, String> read(MimeMessage message) {
        try {
            Map<String, String> m = new HashMap<>();
            m.put("to", Arrays.stream(message.getRecipients(Message.RecipientType.TO)).map(Object::toString)
                    .collect(Collectors.joining(",")));
            m.put("from", Arrays.stream(message.getFrom()).map(Object::toString).collect(Collectors.joining(",")));
            m.put("subject", message.getSubject());
            for (String header : new String[] {"Message-ID", "In-Reply-To", "References"}) {
                String value = message.getHeader(header, " ");
                if (value != null) {
                    m.put(header.toLowerCase(), value);
                }
            }
            collect(message.getContent(), message.getContentType(), m);
            return m;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read a received message", e);
        }
    }

    private static void collect(Object content, String type, Map<String, String> into) throws Exception {
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                collect(part.getContent(), part.getContentType(), into);
            }
        } else if (content instanceof String text) {
            into.put(type.toLowerCase().startsWith("text/html") ? "html" : "text", text);
        }
    }
}
