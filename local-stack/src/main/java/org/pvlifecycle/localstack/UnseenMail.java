package org.pvlifecycle.localstack;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Which of the messages the local SMTP server holds have not been printed yet. GreenMail answers
 * its received messages grouped by mailbox, not in the order they came: a new message for one
 * recipient lands among those of the others, so counting the ones already printed printed some
 * twice and left others out. Each message is known by its {@code Message-ID} (every sender here
 * sets one), or by itself when it has none.
 */
final class UnseenMail {
    private final Set<String> seenIds = new HashSet<>();
    private final Set<MimeMessage> seenWithoutId = Collections.newSetFromMap(new IdentityHashMap<>());

    /** The messages of {@code received} not returned before, each once, in the order given. */
    List<MimeMessage> among(MimeMessage[] received) {
        List<MimeMessage> unseen = new ArrayList<>();
        for (MimeMessage message : received) {
            String id = messageId(message);
            if (id == null ? seenWithoutId.add(message) : seenIds.add(id)) {
                unseen.add(message);
            }
        }
        return unseen;
    }

    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException e) {
            return null;
        }
    }
}
