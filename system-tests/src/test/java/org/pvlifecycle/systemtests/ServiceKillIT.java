package org.pvlifecycle.systemtests;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

/**
 * Scenario 1: each service killed with {@code kill -9} under load, then started again and loaded
 * again. While it is down its requests are refused (not accepted); whatever it acknowledged before
 * is stored, and whatever it had not yet consumed or published is consumed and published after its
 * restart.
 */
@Order(1)
@ExtendWith(StackExtension.class)
class ServiceKillIT {
    static final Duration LOAD_BEFORE = Duration.ofSeconds(2);
    static final Duration DOWN = Duration.ofSeconds(3);
    static final Duration LOAD_AFTER = Duration.ofSeconds(2);

    private final Stack stack;
    private final Report report;

    ServiceKillIT(Stack stack, Report report) {
        this.stack = stack;
        this.report = report;
    }

    @ParameterizedTest(name = "kill -9 {0} under load, then a restart")
    @ValueSource(strings = {"proposal-service", "review-service", "consensus-service", "projection-service",
            "notification-service"})
    void nothingAcknowledgedIsLost(String service) {
        Scenario scenario = Scenario.begin("kill -9 " + service, stack, 4);
        Load load = scenario.startLoad();
        try {
            Sleep.of(LOAD_BEFORE);
            stack.kill9(service);
            Sleep.of(DOWN);
        } finally {
            load.stop();
        }
        // The load pauses while the service boots: beside a loaded stack on two cores a JVM takes
        // half a minute to start, and the fault is over by then.
        stack.restart(service);
        scenario.loadFor(LOAD_AFTER);
        scenario.finish(report).assertNothingLost();
    }
}
