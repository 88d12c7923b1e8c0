package org.pvlifecycle.review.domain;

import org.pvlifecycle.events.Stage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the review service has learnt from other services' events about one proposal and the
 * policy: never asked for, only consumed. {@code windowEndsAt} is the announced end of the
 * current stage's review window (null while none was announced).
 */
public record ProposalFacts(
        String owner,
        Stage stage,
        List<String> components,
        Instant windowEndsAt,
        Duration responseWindow,
        boolean lateObjectionsBlock) {

    public static final Duration DEFAULT_RESPONSE_WINDOW = Duration.ofDays(7);
}
