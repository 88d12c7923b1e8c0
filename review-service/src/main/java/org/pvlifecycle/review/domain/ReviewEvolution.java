package org.pvlifecycle.review.domain;

import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckRetracted;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionOverruled;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.Source;

import java.util.List;
import java.util.Set;

/** {@code apply(state, event) → state} for the review service's own events. */
public final class ReviewEvolution {

    public static Review apply(Review review, EventEnvelope<LifecycleEvent> envelope) {
        LifecycleEvent event = envelope.data();
        String actor = envelope.actor();
        if (event instanceof ObjectionRaised e) {
            return review.withObjection(new Review.Objection(e.objectionId(), actor, e.stage(), e.category(),
                    e.section(), e.rationale(), e.late(), ObjectionStatus.OPEN, envelope.time(), null,
                    List.of(new Review.Entry("RAISED", actor, envelope.time(), e.rationale())),
                    Review.withMessage(Set.of(), e.source())));
        }
        if (event instanceof ObjectionAnswered e) {
            return step(review, e.objectionId(), ObjectionStatus.ANSWERED, e.respondBy(),
                    new Review.Entry("ANSWERED", actor, envelope.time(), e.text()), e.source());
        }
        if (event instanceof ObjectionReaffirmed e) {
            return step(review, e.objectionId(), ObjectionStatus.REAFFIRMED, null,
                    new Review.Entry("REAFFIRMED", actor, envelope.time(), e.text()), e.source());
        }
        if (event instanceof ObjectionWithdrawn e) {
            return step(review, e.objectionId(), ObjectionStatus.WITHDRAWN, null,
                    new Review.Entry("WITHDRAWN", actor, envelope.time(), e.text()), e.source());
        }
        if (event instanceof ObjectionOverruled e) {
            return step(review, e.objectionId(), ObjectionStatus.OVERRULED, null,
                    new Review.Entry("OVERRULED", actor, envelope.time(), e.rationale()), null);
        }
        if (event instanceof AckGiven e) {
            return review.withAck(new Review.Ack(e.ackId(), actor, e.kind(), e.component(), e.stage(), true,
                    envelope.time()));
        }
        if (event instanceof AckRetracted e) {
            Review.Ack ack = review.acks().get(e.ackId());
            return ack == null ? review : review.withAck(new Review.Ack(ack.ackId(), ack.author(), ack.kind(),
                    ack.component(), ack.stage(), false, ack.givenAt()));
        }
        return review;
    }

    private static Review step(Review review, String objectionId, ObjectionStatus status,
            java.time.Instant respondBy, Review.Entry entry, Source source) {
        return review.objection(objectionId)
                .map(o -> review.withObjection(o.with(status, respondBy, entry, source)))
                .orElse(review);
    }

    private ReviewEvolution() {
    }
}
