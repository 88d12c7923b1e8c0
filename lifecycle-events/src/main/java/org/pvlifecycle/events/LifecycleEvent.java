package org.pvlifecycle.events;

/**
 * The payload of one event of docs/events.md. Every implementation is a record named after its type
 * ({@code pv.review.objection-raised.v1} → {@link ObjectionRaised}); the envelope (id, source,
 * time, sequence, actor) travels beside it, never inside.
 */
public sealed interface LifecycleEvent permits
        ProposalSubmitted, ProposalRevised, EvidenceRecorded, ReviewRequested, StageAdvanced, ProposalWithdrawn,
        ObjectionRaised, ObjectionAnswered, ObjectionReaffirmed, ObjectionWithdrawn, ObjectionOverruled,
        AckGiven, AckRetracted,
        EligibilityChanged, ObjectionLapsed, TransitionDecided, DecisionOverdue, PolicyChanged,
        DeliveryFailed {

    /** The proposal the event is about: the Kafka key and the CloudEvents subject. */
    String proposalId();
}
