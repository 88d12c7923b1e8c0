package org.pvlifecycle.mail;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code pvl.mail.*}: which list is applied, where the review service is, how failed actions are
 * retried, the IMAP mailbox polled instead of {@code POST /messages} (off unless configured), the
 * SMTP server that carries the replies to senders, and whether DKIM signatures are required.
 */
@ConfigMapping(prefix = "pvl.mail")
public interface MailConfig {

    /** The {@code List-Id} whose messages are applied; messages of any other list are ignored. */
    @WithDefault("xen-devel.lists.xenproject.org")
    String listId();

    /**
     * A file holding the mail gateway's own token (a JWT whose {@code groups} hold {@code mail-gateway}),
     * read again whenever it changes, so that a rotated token is used without a restart. Preferred to
     * {@link #gatewayToken()}, which puts the token itself in the configuration.
     */
    Optional<Path> gatewayTokenFile();

    /** The mail gateway's token itself, when no {@link #gatewayTokenFile() file} is configured. */
    Optional<String> gatewayToken();

    Review review();

    Retry retry();

    Imap imap();

    Smtp smtp();

    Dkim dkim();

    interface Review {
        /** The review service's address. */
        @WithDefault("http://localhost:8082")
        String url();

        /** How long one command may take before it counts as failed (and is retried). */
        @WithDefault("PT10S")
        Duration timeout();
    }

    interface Retry {
        /** How often pending messages are looked for. */
        @WithDefault("5s")
        Duration pollInterval();

        /** The pause after the first failed attempt; it doubles up to {@link #cap()}. */
        @WithDefault("PT5S")
        Duration base();

        @WithDefault("PT10M")
        Duration cap();

        /**
         * How long a message being applied is left to the instance applying it before another takes
         * it over (that instance may have stopped half-way).
         */
        @WithDefault("PT2M")
        Duration lease();

        /**
         * How long to wait before sending again a step whose earlier attempt may have been applied
         * (the review service did not answer): long enough for its event to arrive and say so.
         */
        @WithDefault("PT1M")
        Duration settle();
    }

    /**
     * An IMAP mailbox subscribed to the list, polled for unseen messages, each received as by
     * {@code POST /messages}. Off by default: most installations have the list's gateway post.
     */
    interface Imap {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("localhost")
        String host();

        /** The server's port; 993 with TLS, 143 without, when not set. */
        OptionalInt port();

        /** Implicit TLS ({@code imaps}); off only for a server on loopback or in tests. */
        @WithDefault("true")
        boolean tls();

        Optional<String> user();

        /** On Kubernetes from the Secret {@code pv-lifecycle-mail-imap} (deploy/). */
        Optional<String> password();

        @WithDefault("INBOX")
        String folder();

        /** How often the mailbox is looked at (ISO-8601, e.g. {@code PT1M}). */
        @WithDefault("PT1M")
        Duration pollInterval();

        /** How long connecting and each command may take before the pass counts as failed. */
        @WithDefault("PT30S")
        Duration timeout();

        /**
         * A PEM file of CA certificates that the server's certificate must chain to, in place of the
         * JVM's trusted CAs: for a server whose certificate the organisation's own CA signed. The
         * server's name is checked against its certificate either way. Read at every pass, so a
         * renewed file is used without a restart; with polling on over TLS, one that cannot be read
         * or holds no certificate stops the service from starting.
         */
        Optional<Path> trustStore();
    }

    /**
     * Where replies to senders go out (a NACK rejected as not specific gets one, and a scoped
     * trailer that gave no ack). No host, no replies: none are recorded either, so nothing piles
     * up unsent.
     */
    interface Smtp {
        Optional<String> host();

        /** The server's port; 465 with implicit TLS, 587 otherwise, when not set. */
        OptionalInt port();

        @WithDefault("STARTTLS")
        SmtpSecurity security();

        Optional<String> user();

        Optional<String> password();

        /** The replies' {@code From}. */
        @WithDefault("pv-lifecycle <pv-lifecycle@localhost>")
        String from();

        @WithDefault("PT30S")
        Duration timeout();
    }

    enum SmtpSecurity {
        /** Plain SMTP: only for a relay on loopback or in tests. */
        NONE,
        /** SMTP upgraded with STARTTLS, which the server must offer. */
        STARTTLS,
        /** Implicit TLS ({@code smtps}). */
        TLS
    }

    interface Dkim {
        /**
         * When true, a message of the list without a valid DKIM signature of its {@code From}
         * domain is ignored ("no valid DKIM signature").
         */
        @WithDefault("false")
        boolean required();

        /**
         * Public key records by name ({@code selector._domainkey.domain} → the TXT record's text,
         * {@code v=DKIM1; k=rsa; p=...}). When any are given, keys are looked up here only, not in
         * DNS: for tests and for installations without DNS.
         */
        Map<String, String> keys();
    }
}
