package org.pvlifecycle.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** What {@link EventConsumer} counts of each consumer's batches, on {@code /q/metrics}. */
@ApplicationScoped
class ConsumerMeters {
    @Inject
    MeterRegistry registry;

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

    /** {@code pvl_consumer_batch_fallbacks_total}: batches gone record by record, and why. */
    Counter fellBack(String consumer, String reason) {
        return Counter.builder("pvl.consumer.batch.fallbacks")
                .description("Batches applied record by record instead of in one transaction, and why")
                .tag("consumer", consumer)
                .tag("reason", reason)
                .register(registry);
    }
}
