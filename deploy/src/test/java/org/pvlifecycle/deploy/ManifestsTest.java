package org.pvlifecycle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvlifecycle.events.Topics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Both overlays render, fit their typed models, and agree with the code they deploy. */
class ManifestsTest {
    /** Read by the JVM itself (every JVM honours it), not by Quarkus: the one variable that is not a config key. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();
    static final Map<String, ServiceConfig> CONFIG = new HashMap<>();

    @BeforeAll
    static void render() {
        for (String overlay : List.of("dev", "prod")) {
            RENDERED.put(overlay, Manifests.render("overlays/" + overlay));
        }
        Manifests.SERVICES.forEach(s -> CONFIG.put(s, new ServiceConfig(s)));
    }

    static List<JsonNode> docs(String overlay) {
        return RENDERED.get(overlay);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDocumentFitsItsTypedModelWithNoUnknownField(String overlay) {
        for (JsonNode doc : docs(overlay)) {
            String key = Manifests.key(doc);
            if (key.equals("postgresql.cnpg.io/v1/Cluster")) {
                continue; // no published Java model: checked field by field below
            }
            assertThat(Manifests.MODELS).as("a model for %s", key).containsKey(key);
            Object model = Manifests.typed(doc, Manifests.MODELS.get(key));
            assertThat(Manifests.unknownFields(model)).as("%s %s: fields its model does not know", key,
                    doc.path("metadata").path("name").asText()).isEmpty();
        }
        assertThat(docs(overlay)).extracting(d -> d.path("kind").asText()).contains("Deployment", "Service",
                "ServiceAccount", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "HTTPRoute",
                "Kafka", "KafkaNodePool", "KafkaTopic", "Cluster");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void thePostgresClusterUsesOnlyFieldsOfTheCloudNativePgApi(String overlay) {
        JsonNode cluster = Manifests.named(docs(overlay), "Cluster", "pv-lifecycle-db");
        // The fields of postgresql.cnpg.io/v1 ClusterSpec these manifests use (CloudNativePG API reference, 1.27).
        Set<String> known = Set.of("instances", "imageName", "primaryUpdateStrategy", "storage", "bootstrap",
                "postgresql", "resources", "affinity");
        assertThat(fieldNames(cluster.path("spec"))).isSubsetOf(known);
        assertThat(fieldNames(cluster.path("spec").path("affinity")))
                .isSubsetOf("enablePodAntiAffinity", "topologyKey", "podAntiAffinityType");
        assertThat(cluster.path("spec").path("instances").isInt()).isTrue();
        assertThat(cluster.path("spec").path("bootstrap").path("initdb").path("database").asText()).isEqualTo("app");
        assertThat(cluster.path("spec").path("bootstrap").path("initdb").path("owner").asText()).isEqualTo("app");
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceHasItsDeploymentServiceAccountAndBudgetOnItsSpecPort(String overlay) {
        for (String name : Manifests.SERVICES) {
            int port = CONFIG.get(name).httpPort();
            Deployment deployment = Manifests.typed(Manifests.named(docs(overlay), "Deployment", name), Deployment.class);
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).as("%s listens on quarkus.http.port", name).isEqualTo(port);
            });
            Service service = Manifests.typed(Manifests.named(docs(overlay), "Service", name), Service.class);
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).as("%s's Service port is its documented port (docs/api.md)", name).isEqualTo(port);
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(name);
            Manifests.named(docs(overlay), "ServiceAccount", name);
            Manifests.named(docs(overlay), "PodDisruptionBudget", name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noContainerRunsAsRootWithPrivilegesOrWithoutLimits(String overlay) {
        for (JsonNode doc : Manifests.ofKind(docs(overlay), "Deployment")) {
            PodSpec pod = Manifests.typed(doc, Deployment.class).getSpec().getTemplate().getSpec();
            String name = doc.path("metadata").path("name").asText();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(name).isNotNull().isNotZero();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            for (Container c : pod.getContainers()) {
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
                assertThat(c.getResources().getLimits()).as(name).containsKeys("cpu", "memory");
                assertThat(c.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
                assertThat(c.getVolumeMounts()).as(name).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
                assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
                assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
                assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
                for (var probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
                    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
                }
            }
            assertThat(pod.getVolumes()).anySatisfy(v -> {
                assertThat(v.getName()).isEqualTo("tmp");
                assertThat(v.getEmptyDir()).isNotNull();
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyEnvironmentVariableSetsAConfigKeyTheServiceReads(String overlay) {
        for (String name : Manifests.SERVICES) {
            Deployment deployment = Manifests.typed(Manifests.named(docs(overlay), "Deployment", name), Deployment.class);
            ServiceConfig config = CONFIG.get(name);
            List<EnvVar> env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
            assertThat(env).extracting(EnvVar::getName).contains("KAFKA_BOOTSTRAP_SERVERS",
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER");
            for (EnvVar var : env) {
                if (JVM_VARIABLES.contains(var.getName())) {
                    continue;
                }
                assertThat(config.environmentVariables).as("%s: %s is the env form of a config key it reads", name,
                        var.getName()).contains(var.getName());
            }
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom())
                    .as("%s: every variable is named in the Deployment", name).isNullOrEmpty();
            // Credentials come from the CloudNativePG application Secret, never as literals.
            assertThat(env).filteredOn(v -> v.getName().endsWith("_PASSWORD")).allSatisfy(v -> {
                assertThat(v.getValue()).isNull();
                assertThat(v.getValueFrom().getSecretKeyRef()).isNotNull();
            });
        }
        // The check can fail: a variable of no known key is not among them.
        assertThat(CONFIG.get("proposal-service").environmentVariables).doesNotContain("QUARKUS_DATASOURCE_REACTIV_URL")
                .contains("QUARKUS_HTTP_PORT");
        assertThat(CONFIG.get("notification-service").environmentVariables).contains("QUARKUS_MAILER_HOST");
        assertThat(CONFIG.get("proposal-service").environmentVariables).doesNotContain("QUARKUS_MAILER_HOST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTopicTheServicesUseHasAKafkaTopic(String overlay) {
        Set<String> declared = Manifests.ofKind(docs(overlay), "KafkaTopic").stream()
                .map(d -> Manifests.typed(d, KafkaTopic.class).getSpec().getTopicName()).collect(Collectors.toSet());
        Set<String> used = new HashSet<>(Topics.ALL);           // the outbox publishes to each, by event type
        CONFIG.values().forEach(c -> used.addAll(c.topics()));  // what the channels consume and dead-letter to
        // The outbox channel's placeholder: every record it sends names its own topic.
        used.remove(CONFIG.get("proposal-service").properties.getProperty("mp.messaging.outgoing.pvl-outbox.topic"));
        Topics.ALL.forEach(t -> used.add(t + ".dlq"));
        assertThat(declared).containsAll(used);
        for (JsonNode doc : Manifests.ofKind(docs(overlay), "KafkaTopic")) {
            KafkaTopic topic = Manifests.typed(doc, KafkaTopic.class);
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "pv-lifecycle-kafka");
            assertThat(String.valueOf(topic.getSpec().getConfig().get("retention.ms"))).isEqualTo("-1");
        }
    }

    @Test
    void devRunsOneOfEverything() {
        List<JsonNode> dev = docs("dev");
        Manifests.ofKind(dev, "Deployment").forEach(d -> assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(1));
        assertThat(Manifests.typed(Manifests.named(dev, "KafkaNodePool", "dual-role"), KafkaNodePool.class)
                .getSpec().getReplicas()).isEqualTo(1);
        Manifests.ofKind(dev, "KafkaTopic").forEach(t -> assertThat(
                Manifests.typed(t, KafkaTopic.class).getSpec().getReplicas()).isEqualTo(1));
        assertThat(Manifests.named(dev, "Cluster", "pv-lifecycle-db").path("spec").path("instances").asInt()).isEqualTo(1);
        assertThat(Manifests.typed(Manifests.named(dev, "HorizontalPodAutoscaler", "projection-service"),
                HorizontalPodAutoscaler.class).getSpec().getMaxReplicas()).isEqualTo(1);
        Manifests.ofKind(dev, "Deployment").forEach(d -> assertThat(d.path("metadata").path("namespace").asText())
                .isEqualTo("pv-lifecycle-dev"));
    }

    @Test
    void prodReplicatesEverythingAcrossNodes() {
        List<JsonNode> prod = docs("prod");
        for (JsonNode doc : Manifests.ofKind(prod, "Deployment")) {
            Deployment d = Manifests.typed(doc, Deployment.class);
            if (d.getMetadata().getName().equals("projection-service")) {
                // Its autoscaler owns the count (checked below); a count here would reset it on each apply.
                assertThat(d.getSpec().getReplicas()).isNull();
            } else {
                assertThat(d.getSpec().getReplicas()).as(d.getMetadata().getName()).isGreaterThanOrEqualTo(2);
            }
            assertThat(d.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                    .getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(term -> {
                assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                        .containsEntry("app.kubernetes.io/name", d.getMetadata().getName());
            });
        }
        KafkaNodePool pool = Manifests.typed(Manifests.named(prod, "KafkaNodePool", "dual-role"), KafkaNodePool.class);
        assertThat(pool.getSpec().getReplicas()).isEqualTo(3);
        assertThat(pool.getSpec().getTemplate().getPod().getAffinity().getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()).isNotEmpty();
        for (JsonNode doc : Manifests.ofKind(prod, "KafkaTopic")) {
            KafkaTopic topic = Manifests.typed(doc, KafkaTopic.class);
            assertThat(topic.getSpec().getReplicas()).isEqualTo(3);
            assertThat(String.valueOf(topic.getSpec().getConfig().get("min.insync.replicas"))).isEqualTo("2");
        }
        JsonNode cluster = Manifests.named(prod, "Cluster", "pv-lifecycle-db").path("spec");
        assertThat(cluster.path("instances").asInt()).isEqualTo(3);
        assertThat(cluster.path("affinity").path("podAntiAffinityType").asText()).isEqualTo("required");
        assertThat(Manifests.typed(Manifests.named(prod, "HorizontalPodAutoscaler", "projection-service"),
                HorizontalPodAutoscaler.class).getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(Manifests.ofKind(prod, "ServiceMonitor")).hasSize(1);
    }

    /**
     * Prod's monitoring: the ServiceMonitor selects the Service of every one of the six, Strimzi
     * runs the Kafka Exporter for their consumer groups and the PodMonitor selects its pod as
     * Strimzi labels it, and every alert says how bad it is and what it means. (That the alerts'
     * series are what the services expose is checked on the running stack, in system-tests.)
     */
    @Test
    void prodIsMonitoredAndAlertsOnWhatAnOperatorMustActOn() {
        List<JsonNode> prod = docs("prod");
        ServiceMonitor monitor = Manifests.typed(Manifests.ofKind(prod, "ServiceMonitor").get(0), ServiceMonitor.class);
        for (String service : Manifests.SERVICES) {
            Service svc = Manifests.typed(Manifests.named(prod, "Service", service), Service.class);
            assertThat(selects(monitor.getSpec().getSelector(), svc.getMetadata().getLabels()))
                    .as("the ServiceMonitor selects the Service %s", service).isTrue();
            assertThat(svc.getSpec().getPorts()).extracting(p -> p.getName())
                    .as("%s's ports", service).contains(monitor.getSpec().getEndpoints().get(0).getPort());
        }

        Kafka kafka = Manifests.typed(Manifests.named(prod, "Kafka", "pv-lifecycle-kafka"), Kafka.class);
        assertThat(kafka.getSpec().getKafkaExporter()).as("Strimzi's Kafka Exporter").isNotNull();
        for (String service : Manifests.SERVICES) {
            assertThat((service + ".proposal-events").matches(kafka.getSpec().getKafkaExporter().getGroupRegex()))
                    .as("the exporter reports %s's consumer groups", service).isTrue();
        }
        for (String topic : Topics.ALL) {
            assertThat(topic.matches(kafka.getSpec().getKafkaExporter().getTopicRegex()))
                    .as("the exporter reports the lag on %s", topic).isTrue();
        }
        PodMonitor exporter = Manifests.typed(Manifests.ofKind(prod, "PodMonitor").get(0), PodMonitor.class);
        assertThat(exporter.getSpec().getSelector().getMatchLabels())
                .containsEntry("strimzi.io/kind", "Kafka")
                .containsEntry("strimzi.io/name", kafka.getMetadata().getName() + "-kafka-exporter");

        PrometheusRule alerts = Manifests.typed(Manifests.named(prod, "PrometheusRule", "pv-lifecycle-alerts"),
                PrometheusRule.class);
        List<Rule> rules = alerts.getSpec().getGroups().stream().flatMap(g -> g.getRules().stream()).toList();
        assertThat(rules).extracting(Rule::getAlert).contains("PvLifecycleServiceDown", "PvLifecycleServiceAbsent",
                "PvLifecycleOutboxStuck", "PvLifecycleDeadLetters", "PvLifecycleConsumerLag",
                "PvLifecycleDeliveriesDead", "PvLifecycleDeadlinesWaiting");
        // absent() can only name a job exactly: a service left out would go unwatched.
        String absent = rules.stream().filter(r -> r.getAlert().equals("PvLifecycleServiceAbsent")).findFirst()
                .orElseThrow().getExpr().getStrVal();
        for (String service : Manifests.SERVICES) {
            assertThat(absent).as("PvLifecycleServiceAbsent watches %s", service)
                    .contains("absent(up{job=\"" + service + "\"})");
        }
        for (Rule rule : rules) {
            assertThat(rule.getExpr().getStrVal()).as("%s's expression", rule.getAlert()).isNotBlank();
            assertThat(rule.getLabels()).as("%s's labels", rule.getAlert()).containsKey("severity");
            assertThat(rule.getLabels().get("severity")).isIn("critical", "warning");
            assertThat(rule.getAnnotations()).as("%s's annotations", rule.getAlert()).containsKeys("summary", "description");
        }
    }

    private static boolean selects(io.fabric8.kubernetes.api.model.LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        for (var expression : selector.getMatchExpressions() == null
                ? List.<io.fabric8.kubernetes.api.model.LabelSelectorRequirement>of() : selector.getMatchExpressions()) {
            boolean in = expression.getValues().contains(labels.get(expression.getKey()));
            if (expression.getOperator().equals("In") != in) {
                return false;
            }
        }
        return true;
    }
}
