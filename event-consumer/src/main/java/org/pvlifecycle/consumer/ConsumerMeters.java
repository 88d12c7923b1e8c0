package org.pvlifecycle.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What {@link EventConsumer} counts of each consumer's batches, on {@code /q/metrics}. */
@ApplicationScoped
class ConsumerMeters {
    @Inject
    MeterRegistry registry;

    @Inject
    Instance<EventHandler> handlers;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    void onStart(@Observes StartupEvent event) {
        for (EventHandler handler : handlers) {
            for (Inbox inbox : handler.inboxes()) {
                register(inbox.consumer(application));
            }
        }
    }

    /** {@code pvl_consumer_batch_size_records}: how many records each batch brought. */
    DistributionSummary batchSizes(String consumer) {
        return DistributionSummary.builder("pvl.consumer.batch.size")
                .description("Records per batch a consumer took from Kafka")
                .baseUnit("records")
                .tag("consumer", consumer)
                .register(registry);
    }

    /**
     * {@code pvl_consumer_records_skipped_total}: records of a type the consumer does not take, and
     * events read that have nothing to do there ({@link Inbox#concerns}).
     */
    Counter skipped(String consumer) {
        return Counter.builder("pvl.consumer.records.skipped")
                .description("Records acknowledged without a transaction: their type, or the event read, is nothing to this consumer")
                .tag("consumer", consumer)
                .register(registry);
    }

    /**
     * {@code pvl_consumer_dead_letters_total}: records sent to the dead-letter topic, because they
     * could not be read ({@code unreadable}) or their effect kept failing ({@code failed}).
     * Registered at zero for every consumer when the service starts ({@link #register}), so that
     * an alert on its {@code increase()} sees the first dead letter too: Prometheus sees no increase
     * in a series that appears already at one.
     */
    Counter deadLettered(String consumer, String reason) {
        return Counter.builder("pvl.consumer.dead.letters")
                .description("Records sent to the dead-letter topic, and why; GET /admin/dead-letters lists them")
                .tag("consumer", consumer)
                .tag("reason", reason)
                .register(registry);
    }

    /** Every consumer's counters that an alert watches, at zero until something happens. */
    void register(String consumer) {
        deadLettered(consumer, UNREADABLE);
        deadLettered(consumer, FAILED);
    }

    static final String UNREADABLE = "unreadable";
    static final String FAILED = "failed";

    /** {@code pvl_consumer_batch_fallbacks_total}: batches gone record by record, and why. */
    Counter fellBack(String consumer, String reason) {
        return Counter.builder("pvl.consumer.batch.fallbacks")
                .description("Batches applied record by record instead of in one transaction, and why")
                .tag("consumer", consumer)
                .tag("reason", reason)
                .register(registry);
    }
}
