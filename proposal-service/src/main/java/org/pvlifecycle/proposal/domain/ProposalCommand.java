package org.pvlifecycle.proposal.domain;

import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.EvidenceDetail;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.Stage;

import java.time.Instant;
import java.util.List;

/** What can be asked of a proposal; {@code actor} is always the token's subject. */
public sealed interface ProposalCommand {

    String actor();

    /** @param paths the repository paths the protocol lives in; null or empty when none are named */
    record Submit(String actor, String id, String title, String summary, List<String> components, String spec,
            List<String> paths) implements ProposalCommand {
    }

    /** @param paths the repository paths from this revision on, or null to leave them as they are */
    record Revise(String actor, String spec, String note, List<String> paths) implements ProposalCommand {
    }

    record RecordEvidence(String actor, String evidenceId, EvidenceKind kind, String reference, EvidenceDetail detail)
            implements ProposalCommand {
    }

    /**
     * @param windowEndsAt the end of the current review window as the consensus service last
     *                     announced it, or null when it has announced none
     */
    record RequestReview(String actor, Instant now, Instant windowEndsAt) implements ProposalCommand {
    }

    record Withdraw(String actor, boolean actorIsCzar, String reason) implements ProposalCommand {
    }

    /** The consensus service decided a transition ({@code transition-decided}). */
    record ApplyTransition(String actor, String decisionId, Stage from, Stage to, DecisionKind decision,
            String decidedBy, boolean override, String rationale) implements ProposalCommand {
    }
}
