package org.pvlifecycle.notification.messaging;

import org.pvlifecycle.notification.delivery.DeliveryWorker;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.DeliveryFailed;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventJson;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.events.StructuredCloudEvent;
import org.pvlifecycle.consumer.EventConsumer;
import org.pvlifecycle.consumer.EventHandler;
import org.pvlifecycle.consumer.Inbox;
import org.pvlifecycle.events.Topics;
import org.pvlifecycle.notification.domain.AddressedNotice;
import org.pvlifecycle.notification.domain.Concern;
import org.pvlifecycle.notification.domain.ListThread;
import org.pvlifecycle.notification.domain.NoticeText;
import org.pvlifecycle.notification.persistence.ConcernRepository;
import org.pvlifecycle.notification.persistence.ListRepository;
import org.pvlifecycle.notification.persistence.NotificationRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every event of every topic becomes a delivery for each subscription that asked for its type,
 * and a notice for each person it concerns, written with the consumer's inbox row: a crash
 * neither loses nor doubles a notice. The facts that say who is concerned (a proposal's owner,
 * an objection's author, its reviewers, its components and the policy's maintainers of them)
 * are learnt from the same events.
 */
@ApplicationScoped
public class DeliveryPlanner implements EventHandler {

    @Inject
    NoticesConfig notices;
    private final Inbox proposalEvents = new Inbox("proposal-events", Topics.PROPOSAL, this::plan)
            .lockingAhead(ids -> this.concern.lockProposals(ids));
    private final Inbox reviewEvents = new Inbox("review-events", Topics.REVIEW, this::plan)
            .lockingAhead(ids -> this.concern.lockProposals(ids));
    private final Inbox consensusEvents = new Inbox("consensus-events", Topics.CONSENSUS, this::plan)
            .lockingAhead(ids -> this.concern.lockProposals(ids));
    private final Inbox notificationEvents = new Inbox("notification-events", Topics.NOTIFICATION, this::plan)
            .lockingAhead(ids -> this.concern.lockProposals(ids));

    @Inject
    EventConsumer consumer;

    @Inject
    NotificationRepository deliveries;

    @Inject
    ConcernRepository concern;

    @Inject
    ListRepository lists;

    @Inject
    DeliveryWorker worker;

    @Inject
    Clock clock;



    @Incoming("proposal-events")
    public Uni<Void> onProposalEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(proposalEvents, batch).invoke(worker::wake);
    }

    @Incoming("review-events")
    public Uni<Void> onReviewEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(reviewEvents, batch).invoke(worker::wake);
    }

    @Incoming("consensus-events")
    public Uni<Void> onConsensusEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(consensusEvents, batch).invoke(worker::wake);
    }

    @Incoming("notification-events")
    public Uni<Void> onNotificationEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.handleBatch(notificationEvents, batch).invoke(worker::wake);
    }

    @Override
    public List<Inbox> inboxes() {
        return List.of(proposalEvents, reviewEvents, consensusEvents, notificationEvents);
    }

    private Uni<Void> plan(EventEnvelope<LifecycleEvent> event) {
        Instant now = clock.instant();
        String link = link(event.subject());
        String cloudEvent = json(StructuredCloudEvent.of(event));
        NoticeText.Rendered plain = NoticeText.render(event, null, null, null, link);
        String emailBody = email(plain);
        String listBody = json(ListThread.item(event, null, null, plain));
        // Under the proposal's lock, taken for the transaction's events before any is planned. Only
        // an eligibility change needs what was remembered; for the others the read is spared (their
        // notices and what they teach do not depend on it). Each notice is one statement, what the
        // event teaches one per fact, and its deliveries by type one.
        Uni<Concern.Memory> remembered = Concern.readsMemory(event.data()) ? concern.memory(event.subject())
                : Uni.createFrom().item(Concern.Memory.NONE);
        return remembered
                .flatMap(before -> planNotices(event, Concern.of(event, before, notices.reminderBefore()), link, now, 0)
                        .flatMap(v -> learn(event, before, now)))
                .flatMap(v -> deliveries.plan(event.id(), event.type().typeName(), event.subject(), cloudEvent,
                        emailBody, listBody, now, event.data() instanceof DeliveryFailed failed ? failed.subscriptionId() : null))
                .replaceWithVoid();
    }

    private Uni<Void> planNotices(EventEnvelope<LifecycleEvent> event, List<AddressedNotice> notices, String link,
            Instant now, int index) {
        if (index == notices.size()) {
            return Uni.createFrom().voidItem();
        }
        AddressedNotice n = notices.get(index);
        NoticeText.Rendered rendered = NoticeText.render(event, n.notice(), n.deadline(), n.objectionId(), link);
        ConcernRepository.PlannedNotice planned = new ConcernRepository.PlannedNotice(event.id(),
                event.type().typeName(), event.subject(), event.actor(), n.notice().name(), n.audience(),
                n.objectionId(), n.sendAt(), webhookNotice(event, n, rendered), email(rendered),
                json(ListThread.item(event, n.notice(), n.audience(), rendered)));
        return concern.plan(planned, now).flatMap(v -> planNotices(event, notices, link, now, index + 1));
    }

    /**
     * What this event tells about who is concerned by the proposal, learnt after its own notices.
     * Safe to apply again (a replay of the topics does): each fact is kept once, and eligibility
     * and the policy's maintainers only when newer than the ones kept. {@code before} is what was remembered of the proposal's
     * eligibility only for an event that {@link Concern#readsMemory reads it}; for any other it is
     * {@link Concern.Memory#NONE}, which such an event leaves as it is, so nothing is written.
     */
    Uni<Void> learn(EventEnvelope<LifecycleEvent> event, Concern.Memory before, Instant now) {
        LifecycleEvent data = event.data();
        Uni<Void> step = Uni.createFrom().voidItem();
        if (data instanceof ProposalSubmitted submitted) {
            List<String> components = submitted.components() == null ? List.of() : submitted.components();
            step = concern.rememberOwner(event.subject(), submitted.owner())
                    .flatMap(v -> concern.rememberComponents(event.subject(), components));
        } else if (data instanceof PolicyChanged policy) {
            step = concern.rememberMaintainers(policy.version(), Concern.maintainers(policy));
        } else if (data instanceof ObjectionRaised raised) {
            step = concern.rememberObjectionAuthor(event.subject(), raised.objectionId(), event.actor());
        } else if (data instanceof AckGiven) {
            step = concern.rememberReviewer(event.subject(), event.actor());
        }
        step = step.flatMap(v -> learnForTheList(event));
        Concern.Memory after = Concern.remember(before, data);
        if (!after.equals(before)) {
            step = step.flatMap(v -> concern.rememberEligibility(event.subject(), after, event.sequence()));
        }
        String waitEnded = Concern.endsWaitFor(data);
        if (waitEnded != null) {
            step = step.flatMap(v -> concern.cancelReminders(waitEnded, now));
        }
        return step;
    }

    /**
     * What the proposal's list thread needs: its title, its root (the first list message the mail
     * bridge acted on for it) and where it stands. Each is safe to learn again on a replay.
     */
    private Uni<Void> learnForTheList(EventEnvelope<LifecycleEvent> event) {
        LifecycleEvent data = event.data();
        Uni<Void> step = Uni.createFrom().voidItem();
        if (data instanceof ProposalSubmitted submitted) {
            step = lists.rememberTitle(event.subject(), submitted.title());
        } else if (data instanceof EligibilityChanged changed) {
            step = lists.rememberStanding(event.subject(), ListThread.standing(changed, event.time()), event.sequence());
        }
        Source source = ListThread.mailSource(data);
        if (source != null) {
            step = step.flatMap(v -> lists.rememberRoot(event.subject(), source.messageId()));
        }
        return step;
    }

    private String link(String proposalId) {
        return (notices.linkBase().endsWith("/") ? notices.linkBase() : notices.linkBase() + "/") + "proposals/" + proposalId;
    }

    /** A notice as a webhook receives it: the words, the deadline, the link and the event itself. */
    private static String webhookNotice(EventEnvelope<LifecycleEvent> event, AddressedNotice n,
            NoticeText.Rendered rendered) {
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("notice", n.notice().name());
        body.put("title", n.notice().title());
        body.put("proposalId", event.subject());
        body.put("objectionId", n.objectionId());
        body.put("whatHappened", rendered.whatHappened());
        body.put("whatYouCanDo", rendered.action());
        body.put("deadline", n.deadline() == null ? null : n.deadline().toString());
        body.put("link", rendered.link());
        body.set("event", EventJson.mapper().valueToTree(StructuredCloudEvent.of(event)));
        return json(body);
    }

    private static String email(NoticeText.Rendered rendered) {
        ObjectNode mail = EventJson.mapper().createObjectNode();
        mail.put("subject", rendered.subject());
        mail.put("text", rendered.text());
        mail.put("html", rendered.html());
        return json(mail);
    }

    private static String json(Object value) {
        try {
            return EventJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
