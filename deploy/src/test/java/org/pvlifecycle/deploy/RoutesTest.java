package org.pvlifecycle.deploy;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every REST path of docs/api.md reaches the service that owns it through the HTTPRoute. Matches are
 * ranked as the Gateway API orders them (an exact path before a regular expression before the
 * longest prefix, and a match naming the method before one that does not), which is the order
 * Envoy Gateway applies; regular expressions match the whole path.
 */
class RoutesTest {
    static HTTPRoute route;

    @BeforeAll
    static void render() {
        route = Manifests.typed(Manifests.named(Manifests.render("overlays/prod"), "HTTPRoute", "pv-lifecycle"),
                HTTPRoute.class);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "POST, /proposals, proposal-service",
            "POST, /proposals/pvsound/revisions, proposal-service",
            "POST, /proposals/pvsound/evidence, proposal-service",
            "POST, /proposals/pvsound/review-requests, proposal-service",
            "POST, /proposals/pvsound/withdrawal, proposal-service",
            "GET, /proposals/pvsound/events, proposal-service",
            "POST, /proposals/pvsound/objections, review-service",
            "POST, /objections/pvsound.o1/answers, review-service",
            "POST, /objections/pvsound.o1/reaffirmations, review-service",
            "POST, /objections/pvsound.o1/withdrawal, review-service",
            "POST, /objections/pvsound.o1/overrule, review-service",
            "GET, /objections/pvsound.o1, review-service",
            "POST, /proposals/pvsound/acks, review-service",
            "DELETE, /proposals/pvsound/acks/pvsound.a1, review-service",
            "GET, /proposals/pvsound/eligibility, consensus-service",
            "POST, /proposals/pvsound/transitions, consensus-service",
            "GET, /policy, consensus-service",
            "PUT, /policy, consensus-service",
            "GET, /proposals, projection-service",
            "GET, /proposals/pvsound, projection-service",
            "GET, /proposals/pvsound/timeline, projection-service",
            "GET, /objections, projection-service",
            "GET, /stats, projection-service",
            "GET, /streams/events, projection-service",
            "GET, /, projection-service",
            "POST, /admin/replay, projection-service",
            "POST, /subscriptions, notification-service",
            "GET, /subscriptions, notification-service",
            "DELETE, /subscriptions/0b5c, notification-service",
            "GET, /deliveries, notification-service",
            "POST, /messages, mail-service",
            "POST, /messages/mbox, mail-service",
            "GET, /messages, mail-service",
            "GET, /identities, mail-service",
            "PUT, /identities, mail-service",
    })
    void routesToTheOwningService(String method, String path, String service) {
        assertThat(backendOf(method, path)).isEqualTo(service);
    }

    @ParameterizedTest(name = "{0} {1} is not routed")
    // Dead letters are per service: operators reach each one inside the cluster (deploy/README.md).
    @CsvSource({"GET, /q/metrics", "DELETE, /proposals", "GET, /proposals/Not_A_Slug/eligibility", "GET, /admin/dead-letters"})
    void leavesTheRestUnrouted(String method, String path) {
        assertThat(backendOf(method, path)).isNull();
    }

    record Candidate(int kind, int length, boolean method, String backend) {
    }

    static String backendOf(String method, String path) {
        List<Candidate> candidates = new ArrayList<>();
        for (HTTPRouteRule rule : route.getSpec().getRules()) {
            assertThat(rule.getBackendRefs()).hasSize(1);
            String backend = rule.getBackendRefs().get(0).getName();
            for (HTTPRouteMatch match : rule.getMatches()) {
                if (match.getMethod() != null && !match.getMethod().equals(method)) {
                    continue;
                }
                String type = match.getPath().getType();
                String value = match.getPath().getValue();
                boolean matches = switch (type) {
                    case "Exact" -> path.equals(value);
                    // Element-wise, and a trailing slash of the prefix is ignored (Gateway API).
                    case "PathPrefix" -> {
                        String prefix = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
                        yield prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
                    }
                    case "RegularExpression" -> path.matches(value);
                    default -> throw new AssertionError("unknown path match type " + type);
                };
                if (matches) {
                    int kind = switch (type) {
                        case "Exact" -> 0;
                        case "RegularExpression" -> 1;
                        default -> 2;
                    };
                    candidates.add(new Candidate(kind, value.length(), match.getMethod() != null, backend));
                }
            }
        }
        return candidates.stream()
                .min(Comparator.comparingInt(Candidate::kind).thenComparing(Comparator.comparingInt(Candidate::length).reversed())
                        .thenComparing(c -> !c.method()))
                .map(Candidate::backend).orElse(null);
    }
}
