package org.pvlifecycle.notification;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The DNS lookup behind {@link org.pvlifecycle.notification.domain.Targets}' check of a webhook's
 * host. It blocks: callers run it on a worker thread.
 */
public final class HostLookup {

    public static List<InetAddress> addressesOf(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(host));
    }

    private HostLookup() {
    }
}
