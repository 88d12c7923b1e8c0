package org.pvlifecycle.mail;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.pvlifecycle.conventions.BackgroundLoop;
import org.pvlifecycle.mail.api.MessageResource;
import org.pvlifecycle.mail.domain.InvalidHeaderException;
import org.pvlifecycle.mail.domain.MailMessage;
import org.pvlifecycle.mail.mailbox.ImapMailbox;
import org.pvlifecycle.mail.mailbox.ImapTrustStore;

/**
 * Polls an IMAP folder for unseen messages (docs/mail.md, "An IMAP mailbox"), when
 * {@code pvl.mail.imap.enabled}; off by default. Each message is received as {@code POST /messages}
 * receives it ({@link MailBridge#receive}: the Message-ID's record, the list's filter, the
 * outcomes) and only then marked {@code \Seen}: a crash between the two fetches it again, and its
 * Message-ID's record makes that a {@code DUPLICATE}, which changes nothing. The same holds for
 * two instances polling one folder. A server that is away, or whose TLS certificate is not
 * trusted ({@link ImapTrustStore}), fails the pass, which {@link BackgroundLoop} logs once per
 * streak; the next tick tries again.
 */
@ApplicationScoped
public class ImapPolling {
    private static final Logger LOG = Logger.getLogger(ImapPolling.class);
    /** Messages per pass; a fuller folder is worked through in passes that follow at once. */
    static final int BATCH = 50;

    @Inject
    MailBridge bridge;

    @Inject
    MailConfig config;

    @Inject
    Vertx vertx;

    private BackgroundLoop loop;
    private ImapTrustStore trust;

    @PostConstruct
    void createLoop() {
        MailConfig.Imap imap = config.imap();
        loop = new BackgroundLoop("polling the IMAP folder " + imap.folder() + " at " + imap.host(), vertx, imap.pollInterval(), this::poll);
        trust = new ImapTrustStore(imap.trustStore());
    }

    void onStart(@Observes StartupEvent event) {
        MailConfig.Imap imap = config.imap();
        if (!imap.enabled()) {
            return;
        }
        if (imap.tls()) {
            try {
                // Read once now so that a wrong path or file stops the service at its start, where a
                // rollout shows it, instead of failing every pass in a log line.
                trust.socketFactory();
            } catch (ImapTrustStore.InvalidTrustStore e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        } else if (trust.configured()) {
            LOG.warnf("%s is not used: pvl.mail.imap.tls is false", ImapTrustStore.PROPERTY);
        }
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** One pass: up to {@link #BATCH} unseen messages, oldest first; true when more wait. */
    private Uni<Boolean> poll() {
        return Offload.call(() -> ImapMailbox.open(config.imap(), trust)).flatMap(mailbox -> Offload.call(() -> mailbox.unseen(BATCH))
                .flatMap(unseen -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (long uid : unseen.uids()) {
                        chain = chain.flatMap(v -> receive(mailbox, uid));
                    }
                    return chain.replaceWith(unseen.more());
                })
                .eventually(() -> Offload.run(mailbox::close)));
    }

    /**
     * One message: read, received, then marked seen. A failure (the database away, the IMAP
     * connection lost) ends the pass with the message unseen, to be fetched again.
     */
    private Uni<Void> receive(ImapMailbox mailbox, long uid) {
        return Offload.call(() -> read(mailbox, uid)).flatMap(fetched -> {
            if (fetched == null) {
                return Uni.createFrom().voidItem();
            }
            if (fetched.refused() != null) {
                // POST /messages would answer 413 or 422 and record nothing; polled, the same
                // message would be refused at every pass, so it is marked seen and logged instead.
                LOG.warnf("IMAP message %d of %s refused: %s; marked seen, not recorded", uid, config.imap().folder(),
                        fetched.refused());
                return Offload.run(() -> mailbox.markSeen(uid));
            }
            return bridge.receive(fetched.message(), fetched.raw())
                    .flatMap(recorded -> Offload.run(() -> mailbox.markSeen(uid)));
        });
    }

    private record Fetched(MailMessage message, byte[] raw, String refused) {
    }

    /** The message read and parsed (CPU and I/O, on a worker thread); null when it is gone meanwhile. */
    private static Fetched read(ImapMailbox mailbox, long uid) throws Exception {
        int size = mailbox.size(uid);
        if (size > MessageResource.MAX_MESSAGE_BYTES) {
            return new Fetched(null, null, "larger than 10 MiB (" + size + " bytes)");
        }
        byte[] raw = mailbox.raw(uid);
        if (raw == null) {
            return null;
        }
        if (raw.length > MessageResource.MAX_MESSAGE_BYTES) {
            return new Fetched(null, null, "larger than 10 MiB (" + raw.length + " bytes)");
        }
        try {
            return new Fetched(MailMessage.parse(raw), raw, null);
        } catch (InvalidHeaderException e) {
            return new Fetched(null, null, e.getMessage());
        }
    }
}
