package org.pvlifecycle.notification.domain;

/**
 * Whom a notice concerns, by role in the proposal; the service names the people from what the
 * events told it (the owner from {@code submitted}, an objection's author and the reviewers from
 * the actors of {@code objection-raised} and {@code ack-given}), and the Czar is whoever
 * subscribed with the {@code czar} role. The reviewers are also the maintainers of the proposal's
 * components (from {@code submitted}) as the newest {@code policy-changed} names them: their ack
 * is the one consensus waits on, so a new proposal's first window concerns them before anyone
 * has reviewed it.
 */
public enum Audience {
    OWNER, OBJECTION_AUTHOR, REVIEWERS, CZAR
}
