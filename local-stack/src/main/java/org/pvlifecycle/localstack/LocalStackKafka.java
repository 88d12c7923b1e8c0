package org.pvlifecycle.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.pvlifecycle.events.Topics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * The local stack's Kafka ({@code ./pvl up}): the same KRaft broker the tests use, in a JVM of its
 * own, with its data kept under the given directory, and the topics of docs/events.md created.
 * Usage: {@code LocalStackKafka DATA_DIR PORT CONTROLLER_PORT}. Stops cleanly on SIGTERM.
 */
public final class LocalStackKafka {
    static final int PARTITIONS = 3;

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LocalStackKafka DATA_DIR PORT CONTROLLER_PORT");
            System.exit(2);
        }
        KafkaBroker broker = new KafkaBroker(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "pvl-kafka-stop"));
        broker.start();
        createTopics(broker.bootstrapServers());
        System.out.println("Kafka ready at " + broker.bootstrapServers());
        stopped.await();
    }

    static void createTopics(String bootstrapServers) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : Topics.ALL) {
                for (String name : List.of(topic, topic + ".dlq")) {
                    if (!existing.contains(name)) {
                        missing.add(new NewTopic(name, PARTITIONS, (short) 1));
                    }
                }
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private LocalStackKafka() {
    }
}
