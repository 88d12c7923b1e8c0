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
import org.pvlifecycle.mail.mailbox.SmtpSender;
import org.pvlifecycle.mail.persistence.ReplyRepository;

import java.time.Clock;
import java.time.Instant;

/**
 * Sends the replies owed to senders (docs/mail.md, "Replies to senders"), which
 * {@link MailBridge} records with the message's outcome: woken when one is recorded, so that
 * {@code POST /messages} never waits on the SMTP server, and on every retry tick for those whose
 * server was away, with the pauses of pending messages ({@code pvl.mail.retry.base} doubling up to
 * {@code cap}). A reply is claimed with a lease, so two instances never send it at once; it is
 * sent again only if an instance stopped after the server took it and before recording that
 * (its fixed Message-ID makes the copy recognisable).
 */
@ApplicationScoped
public class ReplyLoop {
    private static final Logger LOG = Logger.getLogger(ReplyLoop.class);
    static final int BATCH = 20;

    @Inject
    ReplyRepository replies;

    @Inject
    SmtpSender smtp;

    @Inject
    ActionApplier applier;

    @Inject
    MailConfig config;

    @Inject
    Clock clock;

    @Inject
    Vertx vertx;

    private BackgroundLoop loop;

    @PostConstruct
    void createLoop() {
        loop = new BackgroundLoop("sending replies to senders", vertx, config.retry().pollInterval(), this::sendDue);
    }

    void onStart(@Observes StartupEvent event) {
        if (smtp.configured()) {
            loop.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** A reply was recorded: send it now, without the caller waiting. */
    public void wake() {
        loop.wake();
    }

    private Uni<Boolean> sendDue() {
        Instant now = clock.instant();
        return replies.claimDue(now, now.plus(config.retry().lease()), BATCH).flatMap(due -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            boolean[] away = {false};
            for (ReplyRepository.Owed owed : due) {
                chain = chain.flatMap(v -> away[0] ? later(owed, "the SMTP server is away")
                        : Offload.run(() -> smtp.send(owed.reply())).replaceWith((Throwable) null)
                                .onFailure().recoverWithItem(e -> e)
                                .flatMap(failure -> {
                                    if (failure == null) {
                                        return replies.sent(owed.messageId(), clock.instant());
                                    }
                                    if (failure instanceof SmtpSender.Refused) {
                                        LOG.warnf("the reply to %s is not sent: %s", owed.messageId(), failure.getMessage());
                                        return replies.givenUp(owed.messageId(), clock.instant(), failure.getMessage());
                                    }
                                    // One failure is enough to know the server is away: the others of
                                    // this batch wait too, rather than each waiting for its timeout.
                                    away[0] = true;
                                    return later(owed, String.valueOf(failure.getMessage()));
                                }));
            }
            // A batch that met an away server fails the pass, so that BackgroundLoop logs the streak once.
            return chain.flatMap(v -> away[0] ? Uni.createFrom().<Boolean>failure(new IllegalStateException(
                    "the SMTP server did not take the replies")) : Uni.createFrom().item(due.size() == BATCH));
        });
    }

    private Uni<Void> later(ReplyRepository.Owed owed, String why) {
        int attempts = owed.attempts() + 1;
        return replies.failed(owed.messageId(), attempts, clock.instant().plus(applier.backoff(attempts)), why);
    }
}
