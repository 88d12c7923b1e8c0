package org.pvlifecycle.eventstore;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.function.Function;

/**
 * {@code pvl_commands_total{command, outcome, reason}}: every command a service decides, accepted
 * or refused and why, for {@code /q/metrics}.
 */
@ApplicationScoped
public class CommandMetrics {
    @Inject
    MeterRegistry registry;

    /**
     * Counts how {@code execution} ends: accepted, refused by a rule ({@code reasonOf} names it;
     * null for a failure that is not a refusal) or by a lost race.
     */
    public <T> Uni<T> counted(String command, Uni<T> execution, Function<Throwable, String> reasonOf) {
        return execution
                .invoke(() -> count(command, "accepted", "none"))
                .onFailure().invoke(failure -> {
                    String reason = failure instanceof ConcurrencyConflict ? "CONCURRENT_CHANGE" : reasonOf.apply(failure);
                    if (reason != null) {
                        count(command, "refused", reason);
                    }
                });
    }

    private void count(String command, String outcome, String reason) {
        registry.counter("pvl.commands", "command", command, "outcome", outcome, "reason", reason).increment();
    }
}
