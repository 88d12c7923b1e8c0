package org.pvlifecycle.events;

import java.util.Objects;

/**
 * What caused a command that did not come from a person's own REST call: today a message on the
 * mailing list, named so that anyone can check the action against the list's public archive
 * (docs/events.md). Events of commands sent over REST carry none: the field is then left out,
 * not written as null, by whatever mapper writes the event (the REST views of events too), so a
 * client that never sends a source sees no new key.
 *
 * @param messageId the message's {@code Message-ID}, without angle brackets
 * @param list      the list it came through, as its {@code List-Id} names it
 *                  ({@code xen-devel.lists.xenproject.org})
 */
public record Source(Kind kind, String messageId, String list) {

    /** Where the command came from. */
    public enum Kind {
        MAIL
    }

    public Source {
        Objects.requireNonNull(kind, "kind");
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("messageId must not be blank");
        }
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("list must not be blank");
        }
    }

    /** The list message {@code messageId} that came through {@code list}. */
    public static Source mail(String messageId, String list) {
        return new Source(Kind.MAIL, messageId, list);
    }
}
