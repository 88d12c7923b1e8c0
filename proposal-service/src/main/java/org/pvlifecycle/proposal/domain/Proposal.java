package org.pvlifecycle.proposal.domain;

import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.Stage;

import java.time.Instant;
import java.util.List;

/**
 * The proposal aggregate's state, as folded from its own events. {@link #NONE} stands for a
 * proposal that was never submitted. {@code paths} are the repository paths the protocol lives in,
 * empty when none were named.
 */
public record Proposal(
        String id,
        String title,
        String summary,
        String owner,
        List<String> components,
        Stage stage,
        int revision,
        String spec,
        List<String> missingSections,
        List<String> warnings,
        List<EvidenceRecorded> evidence,
        Stage reviewRequestedFor,
        Instant reviewRequestedAt,
        Instant submittedAt,
        Instant stageEnteredAt,
        List<String> paths) {

    public static final Proposal NONE = new Proposal(null, null, null, null, List.of(), null, 0, null, List.of(),
            List.of(), List.of(), null, null, null, null, List.of());

    public boolean exists() {
        return id != null;
    }

    public boolean isOwnedBy(String person) {
        return owner != null && owner.equals(person);
    }

    /** Whether a review of the current stage has been asked for at all. */
    public boolean reviewRequestedForCurrentStage() {
        return stage != null && stage == reviewRequestedFor;
    }
}
