package org.pvlifecycle.consumer;

import java.util.List;

/**
 * A bean that consumes events declares its inboxes, so that the dead letters of this service can
 * be listed by consumer and re-driven through the same effect the live consumer applies.
 */
public interface EventHandler {
    List<Inbox> inboxes();
}
