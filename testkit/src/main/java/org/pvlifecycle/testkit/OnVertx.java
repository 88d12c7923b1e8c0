package org.pvlifecycle.testkit;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

import java.util.function.Supplier;

/**
 * Runs reactive code from a test thread the way a request would run it: on a fresh Vert.x
 * duplicated context of its own (so Hibernate Reactive gets a session of its own), waiting for
 * the result. Failures come back unwrapped.
 */
public final class OnVertx {

    public static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private OnVertx() {
    }
}
