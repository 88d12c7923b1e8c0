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
import org.pvlifecycle.mail.persistence.MessageRepository;

import java.time.Clock;
import java.time.Instant;

/**
 * Applies pending messages again when they fall due: those the review service could not take
 * (away, or not knowing the proposal yet), those waiting for an earlier message of their thread,
 * and those an instance stopped applying half-way (their lease ran out). Due messages are claimed
 * with {@code FOR UPDATE SKIP LOCKED} and a lease, so two instances never apply one at once, and
 * are applied oldest first, so a thread's earlier messages go before its later ones.
 */
@ApplicationScoped
public class RetryLoop {
    private static final Logger LOG = Logger.getLogger(RetryLoop.class);
    static final int BATCH = 20;

    @Inject
    MessageRepository messages;

    @Inject
    MailBridge bridge;

    @Inject
    MailConfig config;

    @Inject
    Clock clock;

    @Inject
    Vertx vertx;

    private BackgroundLoop loop;

    @PostConstruct
    void createLoop() {
        loop = new BackgroundLoop("retrying pending list messages", vertx, config.retry().pollInterval(), this::retryDue);
    }

    void onStart(@Observes StartupEvent event) {
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    private Uni<Boolean> retryDue() {
        Instant now = clock.instant();
        return messages.claimDue(now, now.plus(config.retry().lease()), BATCH).flatMap(ids -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String id : ids) {
                chain = chain.flatMap(v -> messages.find(id)
                        .flatMap(found -> found.map(m -> bridge.resume(m).replaceWithVoid()).orElse(Uni.createFrom().voidItem()))
                        // One message failing (it keeps its lease, and is tried again after it) holds up no other.
                        .onFailure().invoke(e -> LOG.warnf("pending message %s could not be applied now: %s", id, e.getMessage()))
                        .onFailure().recoverWithNull()
                        .replaceWithVoid());
            }
            return chain.map(v -> ids.size() == BATCH);
        });
    }
}
