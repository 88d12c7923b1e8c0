package org.pvlifecycle.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * {@code pv.proposal.submitted.v1}: a contributor submitted a proposal; it is in DESIGN at revision 1.
 * The spec analysis travels with it so that no other service needs to read Markdown. {@code paths}
 * are the repository paths the protocol lives in, by which the mail bridge ties patches to the
 * proposal; null when the submission named none, and then left out of the JSON wherever the event
 * is written, so that such a submission reads as it did before paths existed.
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
        List<String> warnings,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> paths) implements LifecycleEvent {

    /** A submission that names no paths. */
    public ProposalSubmitted(String proposalId, String title, String summary, String owner, List<String> components,
            int revision, String spec, List<String> missingSections, List<String> warnings) {
        this(proposalId, title, summary, owner, components, revision, spec, missingSections, warnings, null);
    }
}
