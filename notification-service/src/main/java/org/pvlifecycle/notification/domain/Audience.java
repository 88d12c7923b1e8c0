package org.pvlifecycle.notification.domain;

/**
 * Whom a notice concerns, by role in the proposal; the service names the people from what the
 * events told it (the owner from {@code submitted}, an objection's author and the reviewers from
 * the actors of {@code objection-raised} and {@code ack-given}), and the Czar is whoever
 * subscribed with the {@code czar} role.
 */
public enum Audience {
    OWNER, OBJECTION_AUTHOR, REVIEWERS, CZAR
}
