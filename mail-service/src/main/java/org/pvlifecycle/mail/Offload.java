package org.pvlifecycle.mail;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.Callable;

/**
 * Blocking work (IMAP and SMTP with Jakarta Mail, DKIM key lookups in DNS) on a worker thread, its
 * result brought back to the caller's Vert.x context, where the database session of a pass or a
 * request lives: an event loop thread must never wait on a mail server.
 */
public final class Offload {

    public static <T> Uni<T> call(Callable<T> work) {
        Context context = Vertx.currentContext();
        Uni<T> result = Uni.createFrom().<T>emitter(emitter -> {
            try {
                emitter.complete(work.call());
            } catch (Exception e) {
                emitter.fail(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return context == null ? result : result.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    /** Blocking work without a result. */
    public static Uni<Void> run(Blocking work) {
        return call(() -> {
            work.run();
            return null;
        }).replaceWithVoid();
    }

    @FunctionalInterface
    public interface Blocking {
        void run() throws Exception;
    }

    private Offload() {
    }
}
