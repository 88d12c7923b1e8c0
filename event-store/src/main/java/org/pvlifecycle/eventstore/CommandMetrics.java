package org.pvlifecycle.eventstore;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.events.decider.CommandRefusal;

/**
 * {@code pvl_commands_total{command, outcome, reason}}: every command a service decides, accepted
 * or refused and why, for {@code /q/metrics}.
 */
@ApplicationScoped
public class CommandMetrics {
    @Inject
    MeterRegistry registry;

    /**
     * Counts how {@code execution} ends: accepted, refused by a rule (a {@link CommandRefusal} names
     * it) or by a lost race. Any other failure is not the command's outcome, so it is not counted.
     */
    <T> Uni<T> counted(String command, Uni<T> execution) {
        return execution
                .invoke(() -> count(command, "accepted", "none"))
                .onFailure().invoke(failure -> {
                    if (failure instanceof ConcurrencyConflict) {
                        count(command, "refused", "CONCURRENT_CHANGE");
                    } else if (failure instanceof CommandRefusal refusal) {
                        count(command, "refused", refusal.reason().name());
                    }
                });
    }

    private void count(String command, String outcome, String reason) {
        registry.counter("pvl.commands", "command", command, "outcome", outcome, "reason", reason).increment();
    }
}
