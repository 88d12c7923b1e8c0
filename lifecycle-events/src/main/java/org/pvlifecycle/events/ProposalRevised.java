package org.pvlifecycle.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * {@code pv.proposal.revised.v1}: the owner published a new revision of the spec. {@code paths},
 * when present, replace the proposal's repository paths (an empty list clears them); null
 * (absent) leaves them as they were.
 */
public record ProposalRevised(
        String proposalId,
        int revision,
        String spec,
        String note,
        List<String> missingSections,
        List<String> warnings,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> paths) implements LifecycleEvent {

    /** A revision that leaves the paths as they were. */
    public ProposalRevised(String proposalId, int revision, String spec, String note, List<String> missingSections,
            List<String> warnings) {
        this(proposalId, revision, spec, note, missingSections, warnings, null);
    }
}
