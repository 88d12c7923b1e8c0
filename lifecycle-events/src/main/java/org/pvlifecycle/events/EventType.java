package org.pvlifecycle.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The one place where the event type strings of docs/events.md live, with their payload record and topic. */
public enum EventType {
    PROPOSAL_SUBMITTED("pv.proposal.submitted.v1", ProposalSubmitted.class),
    PROPOSAL_REVISED("pv.proposal.revised.v1", ProposalRevised.class),
    EVIDENCE_RECORDED("pv.proposal.evidence-recorded.v1", EvidenceRecorded.class),
    REVIEW_REQUESTED("pv.proposal.review-requested.v1", ReviewRequested.class),
    STAGE_ADVANCED("pv.proposal.stage-advanced.v1", StageAdvanced.class),
    PROPOSAL_WITHDRAWN("pv.proposal.withdrawn.v1", ProposalWithdrawn.class),

    OBJECTION_RAISED("pv.review.objection-raised.v1", ObjectionRaised.class),
    OBJECTION_ANSWERED("pv.review.objection-answered.v1", ObjectionAnswered.class),
    OBJECTION_REAFFIRMED("pv.review.objection-reaffirmed.v1", ObjectionReaffirmed.class),
    OBJECTION_WITHDRAWN("pv.review.objection-withdrawn.v1", ObjectionWithdrawn.class),
    OBJECTION_OVERRULED("pv.review.objection-overruled.v1", ObjectionOverruled.class),
    ACK_GIVEN("pv.review.ack-given.v1", AckGiven.class),
    ACK_RETRACTED("pv.review.ack-retracted.v1", AckRetracted.class),

    ELIGIBILITY_CHANGED("pv.consensus.eligibility-changed.v1", EligibilityChanged.class),
    OBJECTION_LAPSED("pv.consensus.objection-lapsed.v1", ObjectionLapsed.class),
    TRANSITION_DECIDED("pv.consensus.transition-decided.v1", TransitionDecided.class),
    DECISION_OVERDUE("pv.consensus.decision-overdue.v1", DecisionOverdue.class),
    POLICY_CHANGED("pv.consensus.policy-changed.v1", PolicyChanged.class),

    DELIVERY_FAILED("pv.notification.delivery-failed.v1", DeliveryFailed.class);

    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_PAYLOAD = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::payloadType, Function.identity()));

    private final String typeName;
    private final Class<? extends LifecycleEvent> payloadType;

    EventType(String typeName, Class<? extends LifecycleEvent> payloadType) {
        this.typeName = typeName;
        this.payloadType = payloadType;
    }

    /** The CloudEvents {@code type}, e.g. {@code pv.proposal.submitted.v1}. */
    public String typeName() {
        return typeName;
    }

    public Class<? extends LifecycleEvent> payloadType() {
        return payloadType;
    }

    /** The topic this type is published on: the one of the service that owns it. */
    public String topic() {
        String owner = typeName.substring(3, typeName.indexOf('.', 3));
        return "pv." + owner + ".events";
    }

    /** The CloudEvents {@code source} of this type: the owning service. */
    public String source() {
        return "/" + typeName.substring(3, typeName.indexOf('.', 3)) + "-service";
    }

    /** The name of the JSON Schema resource that describes this type's payload. */
    public String schemaResource() {
        return "schemas/" + typeName + ".json";
    }

    public static Optional<EventType> byName(String typeName) {
        return Optional.ofNullable(typeName).map(BY_NAME::get);
    }

    public static EventType of(LifecycleEvent event) {
        return BY_PAYLOAD.get(event.getClass());
    }

    public static EventType of(Class<? extends LifecycleEvent> payloadType) {
        return BY_PAYLOAD.get(payloadType);
    }
}
