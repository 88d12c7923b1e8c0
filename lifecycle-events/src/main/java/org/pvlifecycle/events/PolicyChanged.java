package org.pvlifecycle.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code pv.consensus.policy-changed.v1}: the Czar changed the policy; the whole new document.
 * Its subject (and key) is {@link #POLICY_SUBJECT}, since a policy belongs to no one proposal.
 * {@code components} describes the components as a MAINTAINERS file named them (slug → display
 * name, file patterns, maintainers' mail addresses); null when the policy describes none, and then
 * left out of the JSON wherever the event is written, so such a policy reads as it did before the
 * field existed.
 */
public record PolicyChanged(
        long version,
        Map<Stage, Duration> reviewWindows,
        Duration reReviewPeriod,
        Duration responseWindow,
        Duration czarDecisionWindow,
        boolean lateObjectionsBlock,
        boolean autoAdvance,
        Map<String, List<String>> maintainers,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Component> components) implements LifecycleEvent {

    public static final String POLICY_SUBJECT = "policy";

    /**
     * A component as a MAINTAINERS section gives it: its title, its {@code F:} and {@code X:}
     * patterns, and its {@code M:} entries as {@code Name <address>}.
     */
    public record Component(String title, List<String> files, List<String> excluded, List<String> contacts) {
    }

    /** A policy that describes no components beyond their maintainers. */
    public PolicyChanged(long version, Map<Stage, Duration> reviewWindows, Duration reReviewPeriod,
            Duration responseWindow, Duration czarDecisionWindow, boolean lateObjectionsBlock, boolean autoAdvance,
            Map<String, List<String>> maintainers) {
        this(version, reviewWindows, reReviewPeriod, responseWindow, czarDecisionWindow, lateObjectionsBlock,
                autoAdvance, maintainers, null);
    }

    @Override
    public String proposalId() {
        return POLICY_SUBJECT;
    }
}
