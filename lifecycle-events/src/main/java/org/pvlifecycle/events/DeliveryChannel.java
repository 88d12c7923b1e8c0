package org.pvlifecycle.events;

/** How the notification service delivers a notice. */
public enum DeliveryChannel {
    WEBHOOK, EMAIL
}
