package org.pvlifecycle.review.domain;

import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckRetracted;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionOverruled;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.decider.Decider;

import java.util.List;
import java.util.Map;
import java.time.Instant;

import static org.pvlifecycle.review.domain.ObjectionStatus.ANSWERED;
import static org.pvlifecycle.review.domain.ObjectionStatus.OPEN;
import static org.pvlifecycle.review.domain.ObjectionStatus.REAFFIRMED;

/**
 * {@code decide(command, review, facts) → events}: the objection state machine and the ack rules of
 * docs/rules.md. {@code facts} is null when the proposal's submission has not been seen (yet).
 */
public final class ReviewDecider {
    public static final int MIN_RATIONALE = 30;

    /**
     * The review's rules for one proposal, as they stand with what is known of it ({@code facts},
     * null when unknown) and the lapses announced ({@code lapsedAt}): both are learnt from other
     * services and read before the command, so they are given to the decider, not folded by it.
     */
    public static Decider<ReviewCommand, Review, LifecycleEvent> decider(String proposalId, ProposalFacts facts,
            Map<String, Instant> lapsedAt) {
        // The folded review depends on the review's events alone (the facts and lapses are applied
        // to a copy, in decide), so the event store may keep it between commands and as a
        // snapshot, whichever command's decider folded it.
        return Decider.<ReviewCommand, Review, LifecycleEvent>of(Review.empty(proposalId),
                        (command, review) -> decide(command, withLapses(review, lapsedAt), facts),
                        ReviewEvolution::apply)
                .snapshotted("review.v1", Review.class);
    }

    private static List<LifecycleEvent> decide(ReviewCommand command, Review review, ProposalFacts facts) {
        if (facts == null) {
            throw new ReviewRefusal(ReviewRefusal.Reason.UNKNOWN, "no such proposal: " + review.proposalId());
        }
        String id = review.proposalId();
        if (command instanceof ReviewCommand.Raise c) {
            if (c.section() != null && review.raisedBy(c.actor(), c.source(), c.category(), c.section().strip()).isPresent()) {
                return List.of();
            }
            requireOpenProposal(facts, id);
            if (c.rationale() == null || c.rationale().strip().length() < MIN_RATIONALE) {
                throw new ReviewRefusal(ReviewRefusal.Reason.INVALID, "rationale",
                        "must explain the technical problem in at least " + MIN_RATIONALE + " characters");
            }
            boolean late = facts.windowEndsAt() != null && !c.now().isBefore(facts.windowEndsAt());
            return List.of(new ObjectionRaised(id, objectionId(id, review.objections().size() + 1), facts.stage(), c.category(), c.section().strip(),
                    c.rationale().strip(), late, c.source()));
        }
        if (command instanceof ReviewCommand.Answer c) {
            Review.Objection o = objection(review, c.objectionId());
            if (o.causedBy(c.source())) {
                return List.of();
            }
            requireOpenProposal(facts, id);
            if (!c.actor().equals(facts.owner())) {
                throw new ReviewRefusal(ReviewRefusal.Reason.NOT_ALLOWED, "only the proposal's owner ("
                        + facts.owner() + ") answers objections");
            }
            requireStatus(o, "answered", OPEN, REAFFIRMED);
            Instant respondBy = c.now().plus(facts.responseWindow());
            return List.of(new ObjectionAnswered(id, o.objectionId(), c.text().strip(), respondBy, c.source()));
        }
        if (command instanceof ReviewCommand.Reaffirm c) {
            Review.Objection o = objection(review, c.objectionId());
            if (o.causedBy(c.source())) {
                return List.of();
            }
            requireOpenProposal(facts, id);
            requireAuthor(o, c.actor());
            requireStatus(o, "reaffirmed", ANSWERED);
            return List.of(new ObjectionReaffirmed(id, o.objectionId(), c.text().strip(), c.source()));
        }
        if (command instanceof ReviewCommand.Withdraw c) {
            Review.Objection o = objection(review, c.objectionId());
            if (o.causedBy(c.source())) {
                return List.of();
            }
            requireOpenProposal(facts, id);
            requireAuthor(o, c.actor());
            requireStatus(o, "withdrawn", OPEN, ANSWERED, REAFFIRMED);
            return List.of(new ObjectionWithdrawn(id, o.objectionId(), c.text() == null ? null : c.text().strip(),
                    c.source()));
        }
        if (command instanceof ReviewCommand.Overrule c) {
            Review.Objection o = objection(review, c.objectionId());
            requireOpenProposal(facts, id);
            requireStatus(o, "overruled", OPEN, ANSWERED, REAFFIRMED);
            return List.of(new ObjectionOverruled(id, o.objectionId(), c.rationale().strip()));
        }
        if (command instanceof ReviewCommand.GiveAck c) {
            requireOpenProposal(facts, id);
            if (!facts.components().contains(c.component())) {
                throw new ReviewRefusal(ReviewRefusal.Reason.INVALID, "component",
                        "must be one of the proposal's components " + facts.components());
            }
            if (review.liveAck(c.actor(), c.kind(), c.component(), facts.stage()).isPresent()) {
                return List.of();
            }
            return List.of(new AckGiven(id, id + ".a" + (review.acks().size() + 1), facts.stage(), c.kind(), c.component(),
                    c.source()));
        }
        if (command instanceof ReviewCommand.RetractAck c) {
            Review.Ack ack = review.acks().get(c.ackId());
            if (ack == null || !ack.live()) {
                throw new ReviewRefusal(ReviewRefusal.Reason.UNKNOWN, "no live ack " + c.ackId() + " on " + id);
            }
            requireOpenProposal(facts, id);
            if (!ack.author().equals(c.actor())) {
                throw new ReviewRefusal(ReviewRefusal.Reason.NOT_ALLOWED, "only its author retracts an ack");
            }
            return List.of(new AckRetracted(id, ack.ackId(), c.source()));
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    /** Objection ids name their proposal: {@code pvcalls-v2.o3} is the third objection to pvcalls-v2. */
    public static String objectionId(String proposalId, int number) {
        return proposalId + ".o" + number;
    }

    /** The proposal an objection or ack id belongs to, or null for an id of another shape. */
    public static String proposalOf(String objectionOrAckId) {
        int dot = objectionOrAckId == null ? -1 : objectionOrAckId.lastIndexOf('.');
        return dot <= 0 ? null : objectionOrAckId.substring(0, dot);
    }

    /**
     * The review with the lapses the consensus service announced applied: a lapsed objection is
     * resolved, whatever its own last step was.
     */
    public static Review withLapses(Review review, Map<String, Instant> lapsedAt) {
        Review result = review;
        for (Map.Entry<String, Instant> lapse : lapsedAt.entrySet()) {
            Review.Objection o = result.objections().get(lapse.getKey());
            if (o != null && o.status().isLive()) {
                result = result.withObjection(o.with(ObjectionStatus.LAPSED, o.respondBy(),
                        new Review.Entry("LAPSED", "consensus-service", lapse.getValue(),
                                "No response by " + o.respondBy())));
            }
        }
        return result;
    }

    private static Review.Objection objection(Review review, String objectionId) {
        return review.objection(objectionId).orElseThrow(() -> new ReviewRefusal(ReviewRefusal.Reason.UNKNOWN,
                "no such objection: " + objectionId));
    }

    private static void requireOpenProposal(ProposalFacts facts, String id) {
        if (facts.stage().isTerminal()) {
            throw new ReviewRefusal(ReviewRefusal.Reason.CLOSED, "proposal " + id + " is " + facts.stage());
        }
    }

    private static void requireAuthor(Review.Objection o, String actor) {
        if (!o.author().equals(actor)) {
            throw new ReviewRefusal(ReviewRefusal.Reason.NOT_ALLOWED, "only the objection's author (" + o.author()
                    + ") may do this");
        }
    }

    private static void requireStatus(Review.Objection o, String verb, ObjectionStatus... allowed) {
        for (ObjectionStatus status : allowed) {
            if (o.status() == status) {
                return;
            }
        }
        throw new ReviewRefusal(ReviewRefusal.Reason.WRONG_STATUS, "an objection that is " + o.status()
                + " cannot be " + verb);
    }

    private ReviewDecider() {
    }
}
