package org.pvlifecycle.events;

/**
 * {@code pv.notification.delivery-failed.v1}: a notice could not be delivered after every retry.
 * {@code lastStatus} is the last HTTP or SMTP status seen, null when no answer came at all.
 */
public record DeliveryFailed(
        String proposalId,
        String subscriptionId,
        String eventId,
        String eventType,
        DeliveryChannel channel,
        String target,
        int attempts,
        Integer lastStatus,
        String lastError) implements LifecycleEvent {
}
