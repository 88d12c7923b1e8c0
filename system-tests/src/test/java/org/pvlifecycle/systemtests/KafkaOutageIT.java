package org.pvlifecycle.systemtests;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 2: Kafka killed with {@code kill -9} for 10 s under load, then started again on its
 * data. Commands go on being accepted meanwhile (the outbox keeps their events), and the backlog
 * reaches every consumer afterwards.
 */
@Order(2)
@ExtendWith(StackExtension.class)
class KafkaOutageIT {
    static final Duration DOWN = Duration.ofSeconds(10);

    private final Stack stack;
    private final Report report;

    KafkaOutageIT(Stack stack, Report report) {
        this.stack = stack;
        this.report = report;
    }

    @Test
    void commandsAreAcceptedWhileKafkaIsDownAndReachEveryConsumerAfter() {
        Scenario scenario = Scenario.begin("Kafka kill -9 for 10 s", stack, 4);
        Load load = scenario.startLoad();
        Instant down;
        Instant back;
        try {
            Sleep.millis(2000);
            stack.kafkaKill9();
            down = Instant.now();
            Sleep.of(DOWN);
            back = Instant.now();
            stack.restartKafka();
            Sleep.millis(2000);
        } finally {
            load.stop();
        }
        List<Sent> whileDown = scenario.sent().stream()
                .filter(s -> !s.answer().sentAt().isBefore(down) && s.answer().sentAt().isBefore(back)).toList();
        Audit audit = scenario.finish(report);
        assertThat(whileDown).as("commands sent while Kafka was down").isNotEmpty()
                .allSatisfy(s -> assertThat(s.answer().outcome()).as("%s", s).isEqualTo(Outcome.ACCEPTED));
        audit.assertNothingLost();
    }
}
