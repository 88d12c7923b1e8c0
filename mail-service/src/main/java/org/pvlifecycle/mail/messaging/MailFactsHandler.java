package org.pvlifecycle.mail.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.pvlifecycle.consumer.EventConsumer;
import org.pvlifecycle.consumer.EventHandler;
import org.pvlifecycle.consumer.EventRoutes;
import org.pvlifecycle.consumer.Inbox;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.ObjectionOverruled;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.events.paths.PathCoverage;
import org.pvlifecycle.mail.domain.Knowledge;
import org.pvlifecycle.mail.domain.MaintainerContacts;
import org.pvlifecycle.mail.domain.ThreadReply.ObjectionStatus;
import org.pvlifecycle.mail.persistence.KnowledgeRepository;
import org.pvlifecycle.mail.persistence.MessageAction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the mail service learns from the others: owners, components and paths from the proposal
 * service; objections, their steps and which list message caused each from the review service;
 * the maintainers and lapses from the consensus service, and from the maintainers' addresses the
 * identity map's seed.
 */
@ApplicationScoped
public class MailFactsHandler implements EventHandler {
    // Only what the bridge needs; the rest of each topic (evidence, eligibility, ...) is left unread.
    private final Inbox proposalEvents = Inbox.routed("proposal-events", Topics.PROPOSAL, EventRoutes.none()
            .on(ProposalSubmitted.class,
                    (event, e) -> this.knowledge.submitted(e.proposalId(), e.owner(), e.components(), e.paths()))
            // A revision without paths leaves them as they were: nothing to learn, no transaction.
            .on(ProposalRevised.class, e -> e.paths() != null,
                    (event, e) -> this.knowledge.paths(e.proposalId(), e.paths()))
            .on(StageAdvanced.class, (event, e) -> this.knowledge.stage(e.proposalId(), e.to()))
            .on(ProposalWithdrawn.class, (event, e) -> this.knowledge.stage(e.proposalId(), Stage.WITHDRAWN)));
    private final Inbox reviewEvents = Inbox.routed("review-events", Topics.REVIEW, EventRoutes.none()
            .on(ObjectionRaised.class, (event, e) -> this.knowledge.objectionRaised(e.objectionId(), e.proposalId(),
                            event.actor(), e.source() == null ? null : e.source().messageId(), event.time())
                    .flatMap(v -> caused(e.source(), MessageAction.RAISE, e.proposalId(), e.objectionId())))
            .on(ObjectionAnswered.class, (event, e) -> step(event, e.objectionId(), ObjectionStatus.ANSWERED,
                    e.source(), MessageAction.ANSWER))
            .on(ObjectionReaffirmed.class, (event, e) -> step(event, e.objectionId(), ObjectionStatus.REAFFIRMED,
                    e.source(), MessageAction.REAFFIRM))
            .on(ObjectionWithdrawn.class, (event, e) -> step(event, e.objectionId(), ObjectionStatus.WITHDRAWN,
                    e.source(), MessageAction.WITHDRAW))
            .on(ObjectionOverruled.class, (event, e) -> this.knowledge.objectionStatus(e.objectionId(),
                    ObjectionStatus.OVERRULED, event.time()))
            // An ack given other than by a list message is nothing to the bridge.
            .on(AckGiven.class, e -> e.source() != null, (event, e) -> caused(e.source(), MessageAction.ACK,
                    e.proposalId() + "/" + e.kind() + "/" + e.component(), e.ackId())));
    private final Inbox consensusEvents = Inbox.routed("consensus-events", Topics.CONSENSUS, EventRoutes.none()
            .on(ObjectionLapsed.class, (event, e) -> this.knowledge.objectionStatus(e.objectionId(),
                    ObjectionStatus.LAPSED, event.time()))
            .on(PolicyChanged.class, (event, e) -> {
                List<String> contacts = e.components() == null ? List.of() : e.components().values().stream()
                        .flatMap(c -> c.contacts() == null ? Stream.<String>empty() : c.contacts().stream()).toList();
                // Those whose ack counts: an orphan section's is THE REST's maintainers', as consensus counts it.
                return this.knowledge.policy(e.version(), PathCoverage.ackingMaintainers(e), described(e),
                        MaintainerContacts.addresses(contacts));
            }));

    @Inject
    EventConsumer consumer;

    @Inject
    KnowledgeRepository knowledge;

    @Incoming("proposal-events")
    public Uni<Void> onProposalEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(proposalEvents, batch);
    }

    @Incoming("review-events")
    public Uni<Void> onReviewEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(reviewEvents, batch);
    }

    @Incoming("consensus-events")
    public Uni<Void> onConsensusEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(consensusEvents, batch);
    }

    @Override
    public List<Inbox> inboxes() {
        return List.of(proposalEvents, reviewEvents, consensusEvents);
    }

    private Uni<Void> step(EventEnvelope<LifecycleEvent> event, String objectionId, ObjectionStatus status, Source source,
            String kind) {
        return knowledge.objectionStatus(objectionId, status, event.time())
                .flatMap(v -> caused(source, kind, objectionId, null));
    }

    /**
     * The components the policy describes, as a scoped trailer reads them: title, patterns, and
     * whether the section names a maintainer itself (an orphan's acks are THE REST's, but for
     * {@link PathCoverage} it has none).
     */
    static Map<String, Knowledge.Component> described(PolicyChanged policy) {
        Map<String, Knowledge.Component> described = new LinkedHashMap<>();
        if (policy.components() == null) {
            return described;
        }
        policy.components().forEach((id, c) -> {
            List<String> own = policy.maintainers() == null ? null : policy.maintainers().get(id);
            described.put(id, new Knowledge.Component(c.title(), c.files(), c.excluded(), own != null && !own.isEmpty()));
        });
        return described;
    }

    /** A step a list message caused (its event names the message): a retry of it finds it done. */
    private Uni<Void> caused(Source source, String kind, String target, String result) {
        if (source == null) {
            return Uni.createFrom().voidItem();
        }
        return knowledge.recordStep(source.messageId(), kind, target, result);
    }
}
