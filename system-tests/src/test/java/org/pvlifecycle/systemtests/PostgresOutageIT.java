package org.pvlifecycle.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 3: PostgreSQL's immediate shutdown under load, then its restart on the same data. While
 * it is down every service answers 503 (problem+json, Retry-After) within 2 s and reports itself
 * not ready; once it is back every service serves again within 10 s without being restarted;
 * nothing accepted is lost; and a replay of the projection changes none of its views.
 */
@Order(3)
@ExtendWith(StackExtension.class)
class PostgresOutageIT {
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    static final Duration SERVING_AGAIN_WITHIN = Duration.ofSeconds(10);
    /** Readiness checks may cache their answer a moment; generous, but the DOWN must come. */
    static final Duration NOT_READY_WITHIN = Duration.ofSeconds(15);
    static final Duration DOWN_AT_LEAST = Duration.ofSeconds(6);
    /** How long to keep measuring a service that is not back in time, to report how late it was. */
    static final Duration MEASURED_UP_TO = Duration.ofSeconds(40);
    /** The services whose probe is a command (audited with the load's commands); the others' is a read. */
    static final Set<String> TAKING_COMMANDS = Set.of("proposal-service", "review-service");

    /** What was seen while the database was away, and after it came back. */
    record Outage(Instant downAt, Instant restartedAt, Map<String, Answer> probes, Map<String, String> readiness,
            Map<String, Duration> servingAgainAfter) {
    }

    private final Stack stack;
    private final Report report;

    PostgresOutageIT(Stack stack, Report report) {
        this.stack = stack;
        this.report = report;
    }

    @Test
    void everyServiceAnswers503WhileTheDatabaseIsDownAndServesAgainWithoutARestart() {
        Scenario scenario = Scenario.begin("PostgreSQL immediate shutdown", stack, 4);
        Outage outage;
        Load load = scenario.startLoad();
        try {
            Sleep.millis(2000);
            outage = shutDownAndRestartPostgres(scenario);
            Sleep.millis(2000);
        } finally {
            load.stop();
        }
        Audit audit = scenario.finish(report);
        System.out.printf("while PostgreSQL was down: %s%nreadiness then: %s%nserving again after: %s%n",
                outage.probes(), outage.readiness(), outage.servingAgainAfter());

        List<Sent> commandsWhileDown = scenario.sent().stream().filter(s -> !s.answer().sentAt().isBefore(outage.downAt())
                && !s.answer().sentAt().plus(s.answer().latency()).isAfter(outage.restartedAt())).toList();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(commandsWhileDown).as("commands answered while the database was down").isNotEmpty();
        commandsWhileDown.forEach(s -> assertUnavailable(softly, s.command().kind() + " " + s.command().proposalId(),
                s.answer()));
        outage.probes().entrySet().stream().filter(probe -> !TAKING_COMMANDS.contains(probe.getKey()))
                .forEach(probe -> assertUnavailable(softly, probe.getKey(), probe.getValue()));
        outage.readiness().forEach((service, readiness) -> softly.assertThat(readiness)
                .as("%s's /q/health/ready while the database is down", service).isEqualTo("DOWN"));
        for (String service : Stack.SERVICES) {
            softly.assertThat(outage.servingAgainAfter().get(service))
                    .as("%s serves again within %s of the database's return", service, SERVING_AGAIN_WITHIN)
                    .isNotNull().isLessThanOrEqualTo(SERVING_AGAIN_WITHIN);
        }
        softly.assertAll();
        audit.assertNothingLost();

        Map<String, JsonNode> before = scenario.api.views(scenario.proposals());
        assertThat(scenario.api.startReplay().status()).as("POST /admin/replay").isEqualTo(202);
        assertThat(scenario.api.awaitReplay(Duration.ofSeconds(120)).path("state").asText()).isEqualTo("DONE");
        assertThat(scenario.api.views(scenario.proposals())).as("the projection's views after a replay")
                .isEqualTo(before);
    }

    private Outage shutDownAndRestartPostgres(Scenario scenario) {
        String proposal = scenario.proposals().get(0);
        stack.postgresImmediateShutdown();
        Instant downAt = Instant.now();
        Map<String, Answer> probes = new LinkedHashMap<>();
        for (String service : Stack.SERVICES) {
            probes.put(service, probe(scenario, service, proposal));
        }
        Map<String, String> readiness = awaitReadiness("DOWN", NOT_READY_WITHIN);
        Sleep.millis(Math.max(0, DOWN_AT_LEAST.toMillis() - Duration.between(downAt, Instant.now()).toMillis()));
        Instant restartedAt = Instant.now();
        stack.restartPostgres();
        return new Outage(downAt, restartedAt, probes, readiness, measureServingAgain(scenario, proposal));
    }

    /** How long after the database's return each service answers a probe again (absent: not within the bound). */
    private Map<String, Duration> measureServingAgain(Scenario scenario, String proposal) {
        Map<String, Duration> after = new LinkedHashMap<>();
        long back = System.nanoTime();
        while (after.size() < Stack.SERVICES.size() && System.nanoTime() - back < MEASURED_UP_TO.toNanos()) {
            for (String service : Stack.SERVICES) {
                if (!after.containsKey(service) && stack.readiness(service).equals("UP")
                        && probe(scenario, service, proposal).outcome() == Outcome.ACCEPTED) {
                    after.put(service, Duration.ofNanos(System.nanoTime() - back));
                }
            }
            Sleep.millis(250);
        }
        Stack.SERVICES.stream().filter(service -> !after.containsKey(service)).forEach(service ->
                System.out.printf("%s does not serve %s after the database's return; its threads: %s%n", service,
                        MEASURED_UP_TO, stack.threadDump(service)));
        return after;
    }

    private static void assertUnavailable(SoftAssertions softly, String what, Answer answer) {
        softly.assertThat(answer.status()).as("%s while the database is down: %s", what, answer).isEqualTo(503);
        if (answer.status() == 503) {
            softly.assertThat(answer.contentType()).as("%s's 503", what).startsWith("application/problem+json");
            softly.assertThat(answer.retryAfter()).as("%s's 503 has Retry-After", what).isNotBlank();
        }
        softly.assertThat(answer.latency()).as("%s answered within %s: %s", what, ANSWER_WITHIN, answer)
                .isLessThanOrEqualTo(ANSWER_WITHIN);
    }

    /** A request each service answers from its database: a command where the service takes one, else a read. */
    private static Answer probe(Scenario scenario, String service, String proposal) {
        return switch (service) {
            case "proposal-service" -> scenario.send(Command.revise(proposal));
            case "review-service" -> scenario.send(Command.ack(proposal));
            case "consensus-service" -> scenario.api.read(service, "/proposals/" + proposal + "/eligibility");
            case "projection-service" -> scenario.api.read(service, "/proposals/" + proposal);
            case "notification-service" -> scenario.api.read(service, "/subscriptions");
            case "mail-service" -> scenario.api.read(service, "/messages?proposal=" + proposal);
            default -> throw new IllegalArgumentException(service);
        };
    }

    /** Each service's readiness: {@code wanted} once seen, else the last answer within {@code timeout}. */
    private Map<String, String> awaitReadiness(String wanted, Duration timeout) {
        Map<String, String> seen = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (String service : Stack.SERVICES) {
                if (!wanted.equals(seen.get(service))) {
                    seen.put(service, stack.readiness(service));
                }
            }
            if (seen.values().stream().allMatch(wanted::equals)) {
                break;
            }
            Sleep.millis(250);
        } while (System.nanoTime() < deadline);
        return seen;
    }
}
