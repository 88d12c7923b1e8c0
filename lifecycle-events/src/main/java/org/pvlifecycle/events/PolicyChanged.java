package org.pvlifecycle.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code pv.consensus.policy-changed.v1}: the Czar changed the policy; the whole new document.
 * Its subject (and key) is {@link #POLICY_SUBJECT}, since a policy belongs to no one proposal.
 */
public record PolicyChanged(
        long version,
        Map<Stage, Duration> reviewWindows,
        Duration reReviewPeriod,
        Duration responseWindow,
        Duration czarDecisionWindow,
        boolean lateObjectionsBlock,
        boolean autoAdvance,
        Map<String, List<String>> maintainers) implements LifecycleEvent {

    public static final String POLICY_SUBJECT = "policy";

    @Override
    public String proposalId() {
        return POLICY_SUBJECT;
    }
}
