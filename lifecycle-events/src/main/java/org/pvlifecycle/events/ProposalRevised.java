package org.pvlifecycle.events;

import java.util.List;

/** {@code pv.proposal.revised.v1}: the owner published a new revision of the spec. */
public record ProposalRevised(
        String proposalId,
        int revision,
        String spec,
        String note,
        List<String> missingSections,
        List<String> warnings) implements LifecycleEvent {
}
