package org.pvlifecycle.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvlifecycle.events.Topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * Scenario 6: a record that is not a CloudEvent on every topic, keyed by a proposal the load keeps
 * writing to. Every consumer goes on (the events after it on its partition are applied), each
 * consuming service lists it among its dead letters with a reason ({@code GET /admin/dead-letters})
 * and counts it on {@code /q/metrics} (what the operators' alert watches), and re-driving it fails
 * and changes nothing.
 */
@Order(6)
@ExtendWith(StackExtension.class)
class PoisonMessagesIT {
    static final String POISON = "this is not a CloudEvent {";
    static final Duration DEAD_LETTERED_WITHIN = Duration.ofSeconds(30);

    /** Where a poison record landed. */
    record Poison(String topic, int partition, long offset) {
        boolean is(JsonNode deadLetter) {
            return deadLetter.path("originalTopic").asText().equals(topic)
                    && deadLetter.path("originalPartition").asInt(-1) == partition
                    && deadLetter.path("originalOffset").asLong(-1) == offset;
        }
    }

    /** A consuming service and one topic it reads: where a poison on that topic must be listed. */
    record Reader(String service, String topic) {
    }

    private final Stack stack;
    private final Report report;

    PoisonMessagesIT(Stack stack, Report report) {
        this.stack = stack;
        this.report = report;
    }

    @Test
    void everyConsumerDeadLettersThePoisonAndGoesOn() throws Exception {
        Scenario scenario = Scenario.begin("a poison message on every topic", stack, 3);
        Map<String, Poison> poisons = new LinkedHashMap<>();
        Load load = scenario.startLoad();
        try {
            Sleep.millis(1000);
            for (String topic : Topics.ALL) {
                poisons.put(topic, publishPoison(topic, scenario.proposals().get(0)));
            }
            Sleep.millis(4000);
        } finally {
            load.stop();
        }
        Audit audit = scenario.finish(report);
        System.out.println("poison records: " + poisons.values());
        audit.assertNothingLost();

        Map<Reader, JsonNode> listed = awaitDeadLetters(scenario.api, poisons);
        Map<String, Long> before = scenario.ledger.tableSizes();
        Map<Reader, Answer> redriven = new LinkedHashMap<>();
        listed.forEach((reader, deadLetter) ->
                redriven.put(reader, scenario.api.redrive(reader.service(), deadLetter.path("id").asText())));

        SoftAssertions softly = new SoftAssertions();
        for (Reader reader : readers()) {
            JsonNode deadLetter = listed.get(reader);
            softly.assertThat(deadLetter).as("%s lists the poison of %s among its dead letters", reader.service(),
                    reader.topic()).isNotNull();
            if (deadLetter != null) {
                softly.assertThat(deadLetter.path("reason").asText()).as("%s's dead letter %s has a reason",
                        reader.service(), deadLetter).isNotBlank();
                String consumer = deadLetter.path("consumer").asText();
                softly.assertThat(Metrics.of(stack.uri(reader.service(), "/q/metrics"))
                                .find("pvl_consumer_dead_letters_total", Map.of("consumer", consumer, "reason", "unreadable"))
                                .stream().mapToDouble(Metrics.Sample::value).sum())
                        .as("%s counts %s's unreadable dead letters on /q/metrics", reader.service(), consumer)
                        .isGreaterThanOrEqualTo(1);
                Answer redrive = redriven.get(reader);
                String id = deadLetter.path("id").asText();
                softly.assertThat(redrive.status()).as("redriving %s on %s: %s", id, reader.service(), redrive)
                        .isEqualTo(200);
                // One {id, consumer, outcome, reason?} per consumer of this service that dead-lettered it.
                JsonNode results = redrive.json();
                if (redrive.status() == 200) {
                    softly.assertThat(results.isArray() && results.size() == 1)
                            .as("redriving %s on %s answers one result: %s", id, reader.service(), redrive).isTrue();
                    for (JsonNode result : results) {
                        softly.assertThat(result.path("id").asText()).as("the redrive of %s names it", id).isEqualTo(id);
                        softly.assertThat(result.path("consumer").asText()).as("the redrive of %s names its consumer", id)
                                .isEqualTo(deadLetter.path("consumer").asText());
                        softly.assertThat(result.path("outcome").asText()).as("redriving %s on %s: %s", id,
                                reader.service(), redrive).isEqualTo("FAILED");
                        softly.assertThat(result.path("reason").asText()).as("why %s failed again", id)
                                .contains("not a CloudEvent");
                    }
                }
            }
        }
        softly.assertThat(scenario.ledger.tableSizes()).as("the stores and inboxes after the redrives")
                .isEqualTo(before);
        softly.assertAll();
    }

    /** Every consuming service with each topic it reads, as the ledger knows them. */
    private static List<Reader> readers() {
        return Ledger.CONSUMERS.stream().filter(c -> !c.isEventLog())
                .map(c -> new Reader(c.schema() + "-service", c.topics().iterator().next())).toList();
    }

    private Poison publishPoison(String topic, String key) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all"))) {
            RecordMetadata landed = producer.send(new ProducerRecord<>(topic, key, POISON)).get(30, TimeUnit.SECONDS);
            return new Poison(topic, landed.partition(), landed.offset());
        }
    }

    /** Each reader's dead letter of the poison on its topic, as soon as all are listed or the time is up. */
    private Map<Reader, JsonNode> awaitDeadLetters(Api api, Map<String, Poison> poisons) {
        Map<Reader, JsonNode> found = new LinkedHashMap<>();
        List<String> answers = new ArrayList<>();
        long deadline = System.nanoTime() + DEAD_LETTERED_WITHIN.toNanos();
        while (found.size() < readers().size() && System.nanoTime() < deadline) {
            answers.clear();
            for (Reader reader : readers()) {
                if (found.containsKey(reader)) {
                    continue;
                }
                Answer answer = api.deadLetters(reader.service());
                if (answer.outcome() != Outcome.ACCEPTED) {
                    answers.add(reader.service() + ": " + answer);
                    continue;
                }
                find(answer.json(), poisons.get(reader.topic())).ifPresent(letter -> found.put(reader, letter));
            }
            Sleep.millis(500);
        }
        answers.stream().distinct().forEach(a -> System.out.println("GET /admin/dead-letters on " + a));
        return found;
    }

    private static Optional<JsonNode> find(JsonNode deadLetters, Poison poison) {
        return StreamSupport.stream(deadLetters.spliterator(), false).filter(poison::is).findFirst();
    }
}
