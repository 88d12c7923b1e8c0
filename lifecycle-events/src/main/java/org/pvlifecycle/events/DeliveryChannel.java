package org.pvlifecycle.events;

/**
 * How the notification service delivers a notice. {@code LIST} (the mailing list) came later:
 * events written before it name only the first two, and still read the same.
 */
public enum DeliveryChannel {
    WEBHOOK, EMAIL, LIST
}
