package org.pvlifecycle.notification.delivery;

import io.smallrye.mutiny.Uni;
import org.pvlifecycle.notification.persistence.NotificationRepository;

import java.time.Instant;

/**
 * Sends one claimed delivery over one channel. The worker claims, limits, times out, retries and
 * records; a sender only sends, so a new channel is one more implementation of this.
 */
public interface Sender {

    /** The channel this sender serves, as deliveries name it ({@code WEBHOOK}, {@code EMAIL}). */
    String channel();

    /**
     * Sends {@code delivery}, attempted at {@code at}; the item is the receiver's status code where
     * the channel has one (an HTTP status), else {@code null}. A status other than 2xx is a failed
     * attempt; a failure with {@link Refused} is one no retry can help.
     */
    Uni<Integer> send(NotificationRepository.Claimed delivery, Instant at);

    /**
     * Why a send to {@code target} would be {@link Refused} now, or null when it would go (or fail in a
     * way a retry may help). It may block (a host name is resolved): call it on a worker thread. A
     * channel that checks nothing before sending refuses nothing.
     */
    default String refusal(String target) {
        return null;
    }

    /** The target is refused now (it no longer passes the checks its subscription passed): no retry. */
    final class Refused extends RuntimeException {
        public Refused(String why) {
            super(why, null, false, false);
        }
    }
}
