package org.pvlifecycle.systemtests;

import java.time.Duration;

/** Thread.sleep for test code that has nothing to do when interrupted but to stop soon. */
final class Sleep {

    static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void of(Duration duration) {
        millis(duration.toMillis());
    }

    private Sleep() {
    }
}
