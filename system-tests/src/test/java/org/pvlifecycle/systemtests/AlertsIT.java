package org.pvlifecycle.systemtests;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alerts an operator gets (deploy/components/monitoring/alerts.yaml) watch series the running
 * services really expose: every metric an alert's expression selects is on some service's
 * {@code /q/metrics}; ours with every label value the alert matches exactly, from the start (a
 * counter that appeared only at its first increment would hide that increment from
 * {@code increase()}). Prometheus' own {@code up} and the Kafka Exporter's lag are not the
 * services' to expose.
 */
@Order(8)
@ExtendWith(StackExtension.class)
class AlertsIT {
    static final Path ALERTS = Stack.ROOT.resolve("deploy/components/monitoring/alerts.yaml");
    static final Set<String> NOT_THE_SERVICES = Set.of("up", "kafka_consumergroup_lag");
    private static final Pattern EXPR = Pattern.compile("^\\s*expr:\\s*(.+)$");
    /** A metric selected with matchers: its name, then what is between the braces. */
    private static final Pattern WITH_MATCHERS = Pattern.compile("([a-z_:][a-z0-9_:]*)\\{([^}]*)}");
    /** What names no metric: a grouping clause, a string. */
    private static final Pattern NOT_A_NAME = Pattern.compile("\\b(by|without)\\s*\\([^)]*\\)|\"[^\"]*\"");
    /** A bare name not called as a function. */
    private static final Pattern BARE = Pattern.compile("\\b([a-z_:][a-z0-9_:]*)\\b(?!\\s*\\()");
    private static final Pattern EXACT = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
    private static final Set<String> OPERATORS = Set.of("and", "or", "unless", "on", "ignoring", "bool");

    private final Stack stack;

    AlertsIT(Stack stack) {
        this.stack = stack;
    }

    @Test
    void everyAlertWatchesSeriesTheServicesExpose() throws Exception {
        List<String> expressions = new ArrayList<>();
        for (String line : Files.readAllLines(ALERTS)) {
            Matcher expr = EXPR.matcher(line);
            if (expr.find()) {
                expressions.add(expr.group(1));
            }
        }
        assertThat(expressions).as("the alerts' expressions in %s", ALERTS).hasSizeGreaterThanOrEqualTo(5);

        Map<String, Metrics> exposed = new LinkedHashMap<>();
        for (String service : Stack.SERVICES) {
            exposed.put(service, Metrics.of(stack.uri(service, "/q/metrics")));
        }
        SoftAssertions softly = new SoftAssertions();
        int watched = 0;
        for (String expression : expressions) {
            Map<String, Map<String, String>> selected = new LinkedHashMap<>();
            Matcher withMatchers = WITH_MATCHERS.matcher(expression);
            while (withMatchers.find()) {
                Map<String, String> labels = new LinkedHashMap<>();
                Matcher exact = EXACT.matcher(withMatchers.group(2));
                while (exact.find()) {
                    labels.put(exact.group(1), exact.group(2));
                }
                selected.put(withMatchers.group(1), labels);
            }
            Matcher bare = BARE.matcher(NOT_A_NAME.matcher(WITH_MATCHERS.matcher(expression).replaceAll(" "))
                    .replaceAll(" "));
            while (bare.find()) {
                if (!OPERATORS.contains(bare.group(1))) {
                    selected.putIfAbsent(bare.group(1), Map.of());
                }
            }
            for (Map.Entry<String, Map<String, String>> series : selected.entrySet()) {
                String name = series.getKey();
                if (NOT_THE_SERVICES.contains(name)) {
                    continue;
                }
                watched++;
                // Our own series are registered from the start with every value an alert matches;
                // a framework's (the HTTP server's answers by status) appear with the traffic, so
                // of those only the labels are checked, not a value such as status="503".
                Map<String, String> labels = series.getValue();
                List<String> exposing = exposed.entrySet().stream()
                        .filter(e -> name.startsWith("pvl_") ? !e.getValue().find(name, labels).isEmpty()
                                : e.getValue().find(name, Map.of()).stream()
                                        .anyMatch(sample -> sample.labels().keySet().containsAll(labels.keySet())))
                        .map(Map.Entry::getKey).toList();
                System.out.printf("alert series %s%s: exposed by %s%n", name, series.getValue(), exposing);
                softly.assertThat(exposing).as("services exposing %s%s, watched by `%s`", name, series.getValue(),
                        expression).isNotEmpty();
            }
        }
        softly.assertThat(watched).as("series watched by the alerts").isGreaterThanOrEqualTo(5);
        softly.assertAll();
    }
}
