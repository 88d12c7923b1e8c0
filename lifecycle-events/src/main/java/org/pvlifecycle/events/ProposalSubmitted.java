package org.pvlifecycle.events;

import java.util.List;

/**
 * {@code pv.proposal.submitted.v1}: a contributor submitted a proposal; it is in DESIGN at revision 1.
 * The spec analysis travels with it so that no other service needs to read Markdown.
 */
public record ProposalSubmitted(
        String proposalId,
        String title,
        String summary,
        String owner,
        List<String> components,
        int revision,
        String spec,
        List<String> missingSections,
        List<String> warnings) implements LifecycleEvent {
}
