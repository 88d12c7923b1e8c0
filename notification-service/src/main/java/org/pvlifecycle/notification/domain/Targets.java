package org.pvlifecycle.notification.domain;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where notices may go. A webhook is an http(s) URL whose host is not link-local nor a cloud
 * metadata endpoint (and, when an operator lists hosts, one of those); an e-mail target, and the
 * mailing list's, is an address. Looking the host up is the caller's part ({@link Resolver}): the rule stays pure.
 */
public final class Targets {
    /**
     * A host that does not resolve now. Refused when subscribing; when delivering, a failure like
     * any other, retried: a resolver that is briefly away must not kill every delivery in flight.
     */
    public static final String UNRESOLVED = "names a host that does not resolve";


    /** The addresses a host name stands for now (DNS, for the service; a fixed map, for a test). */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> addressesOf(String host) throws UnknownHostException;
    }

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata", "instance-data");
    /**
     * Cloud metadata endpoints outside the link-local range: Alibaba's, Azure's wire server, and
     * AWS's over IPv6 (a unique-local address, so not link-local).
     */
    private static final Set<InetAddress> METADATA_ADDRESSES = Set.of(
            address(100, 100, 100, 200), address(168, 63, 129, 16),
            address(0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54));

    /** An address from its bytes: no lookup, as the domain makes none of its own. */
    private static InetAddress address(int... octets) {
        byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            bytes[i] = (byte) octets[i];
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why the target is refused, or null when it is fine. */
    public static String refusal(String channel, String target, Set<String> allowedHosts, Resolver resolver) {
        if ("EMAIL".equals(channel) || "LIST".equals(channel)) {
            return target.length() <= 254 && EMAIL.matcher(target).matches() ? null : "must be an e-mail address";
        }
        URI uri;
        try {
            uri = URI.create(target);
        } catch (IllegalArgumentException e) {
            return "must be an http(s) URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return "must be an http(s) URL";
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (METADATA_HOSTS.contains(host)) {
            return "must not be a cloud metadata endpoint";
        }
        if (!allowedHosts.isEmpty() && !allowedHosts.contains(host)) {
            return "must be one of the hosts the operator allows";
        }
        try {
            for (InetAddress address : resolver.addressesOf(host.replace("[", "").replace("]", ""))) {
                if (address.isLinkLocalAddress() || address.getHostAddress().startsWith("169.254.")
                        || METADATA_ADDRESSES.contains(address)) {
                    return "must not be a link-local or cloud metadata address";
                }
            }
        } catch (UnknownHostException e) {
            return UNRESOLVED;
        }
        return null;
    }

    /**
     * A target as a {@code delivery-failed} event shows it: every authenticated user reads events
     * (the timeline, the stream), while a target is its owner's to see ({@code GET /subscriptions},
     * {@code GET /deliveries}). A webhook keeps its scheme, host and port, not its path or query,
     * which often hold the hook's secret; an address keeps its domain; the list's address is public.
     */
    public static String shown(String channel, String target) {
        if (target == null) {
            return null;
        }
        if ("WEBHOOK".equals(channel)) {
            try {
                URI uri = new URI(target);
                if (uri.getScheme() != null && uri.getHost() != null) {
                    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
                }
            } catch (URISyntaxException e) {
                // shown as nothing but its kind, below
            }
            return "a webhook";
        }
        if ("EMAIL".equals(channel)) {
            int at = target.lastIndexOf('@');
            return at < 0 ? "an address" : "…" + target.substring(at);
        }
        return target;
    }

    private Targets() {
    }
}
