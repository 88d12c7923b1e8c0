package org.pvlifecycle.events;

import java.util.List;

/** The Kafka topics of docs/events.md. Every record on them is keyed by the proposal id. */
public final class Topics {
    public static final String PROPOSAL = "pv.proposal.events";
    public static final String REVIEW = "pv.review.events";
    public static final String CONSENSUS = "pv.consensus.events";
    public static final String NOTIFICATION = "pv.notification.events";

    public static final List<String> ALL = List.of(PROPOSAL, REVIEW, CONSENSUS, NOTIFICATION);

    /** Where a consumer of {@code topic} puts a message it cannot read. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    private Topics() {
    }
}
