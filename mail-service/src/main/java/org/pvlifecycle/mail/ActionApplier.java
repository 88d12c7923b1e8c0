package org.pvlifecycle.mail;

import org.pvlifecycle.eventstore.SessionSql;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.mail.domain.ThreadReply.ObjectionStatus;
import org.pvlifecycle.mail.persistence.KnowledgeRepository;
import org.pvlifecycle.mail.persistence.MessageAction;
import org.pvlifecycle.mail.persistence.MessageRepository;
import org.pvlifecycle.mail.persistence.StoredMessage;
import org.pvlifecycle.mail.review.ReviewAnswer;
import org.pvlifecycle.mail.review.ReviewClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies a pending message's actions at the review service, in order, all or none as far as the
 * review service allows (docs/mail.md, "How a message is applied"):
 * <ul>
 * <li>Each action's progress is recorded as it goes, so that a retry starts where the last attempt
 * stopped, and a step the review service did take is never sent twice: before sending, the
 * action is looked up in {@code mail_steps} (what this message caused, from the review service's
 * answers and from its events, which name the message); a step sent without an answer (a
 * timeout, a cut connection, a 500) is sent again only once {@code pvl.mail.retry.settle} has
 * passed without its event arriving. Sent twice, an action still acts once: the review service
 * answers the same live ack, and recognises an objection or step this message already caused by
 * its source (a 200 with what it did then).</li>
 * <li>The review service away (no connection, 503, a proposal it has not learnt of yet, a token
 * it refuses) leaves the message {@code PENDING}, to be retried with doubling pauses
 * ({@link RetryLoop}).</li>
 * <li>The review service refusing an action (400, 409, 422) makes the message {@code REJECTED}
 * with its reason, after taking back the acks this message gave before it (acks come first, so
 * they are the only actions applied before a refusal, unless a message raises two objections).</li>
 * </ul>
 */
@ApplicationScoped
public class ActionApplier {
    private static final Logger LOG = Logger.getLogger(ActionApplier.class);

    @Inject
    MessageRepository messages;

    @Inject
    KnowledgeRepository knowledge;

    @Inject
    ReviewClient review;

    @Inject
    MailConfig config;

    @Inject
    Clock clock;

    /** Applies what is left of the message's actions; the message as it stands afterwards. */
    public Uni<StoredMessage> apply(StoredMessage m) {
        Source source = Source.mail(m.messageId(), m.listId() == null ? config.listId() : m.listId());
        if (m.actions().stream().anyMatch(a -> a.is(MessageAction.REFUSED))) {
            return compensate(m, source);
        }
        int next = firstTodo(m.actions());
        if (next < 0) {
            return save(m.with(Outcome.APPLIED, m.notes(), m.actions()).retryAt(null, m.attempts()));
        }
        MessageAction action = m.actions().get(next);
        String target = action.target(m.proposal());
        Instant now = clock.instant();
        return knowledge.step(m.messageId(), action.kind(), target).flatMap(known -> {
            if (known.isPresent()) {
                String result = known.get().isEmpty() ? null : known.get();
                return save(replace(m, next, action.done(result, action.kind().equals(MessageAction.ACK) ? true : null)))
                        .flatMap(this::apply);
            }
            if (action.attemptedAt() != null && !action.kind().equals(MessageAction.ACK)) {
                Instant settled = action.attemptedAt().plus(config.retry().settle());
                if (now.isBefore(settled)) {
                    return save(m.retryAt(settled, m.attempts()));
                }
            }
            StoredMessage attempting = replace(m, next, action.attempted(now));
            return save(attempting)
                    .flatMap(saved -> review.send(m.proposal(), action, source))
                    .flatMap(answer -> {
                        if (answer instanceof ReviewAnswer.Done done) {
                            return recordDone(attempting, next, done).flatMap(this::apply);
                        }
                        if (answer instanceof ReviewAnswer.Refused refused) {
                            return save(replace(attempting, next, action.refused(refused.detail())))
                                    .flatMap(saved -> compensate(saved, source));
                        }
                        ReviewAnswer.Unavailable away = (ReviewAnswer.Unavailable) answer;
                        StoredMessage waiting = away.mayHaveApplied() ? attempting : replace(attempting, next, action.attempted(null));
                        return save(pending(waiting, away.why()));
                    });
        });
    }

    /** The message stays pending: its next attempt after a pause that doubles with each failed one. */
    StoredMessage pending(StoredMessage m, String why) {
        int attempts = m.attempts() + 1;
        Instant next = clock.instant().plus(backoff(attempts));
        return m.with(Outcome.PENDING, why + "; retried from " + next, m.actions()).retryAt(next, attempts);
    }

    Duration backoff(int attempts) {
        Duration pause = config.retry().base().multipliedBy(1L << Math.min(attempts - 1, 20));
        return pause.compareTo(config.retry().cap()) > 0 ? config.retry().cap() : pause;
    }

    /** The answer's result kept with the action, and what it says about the objection, in one transaction. */
    private Uni<StoredMessage> recordDone(StoredMessage m, int index, ReviewAnswer.Done done) {
        MessageAction action = m.actions().get(index);
        JsonNode body = done.body();
        String target = action.target(m.proposal());
        return switch (action.kind()) {
            case MessageAction.ACK -> {
                String ackId = text(body, "ackId");
                boolean created = done.status() == 201;
                StoredMessage after = replace(m, index, action.done(ackId, created));
                yield SessionSql.inTransaction(() -> messages.update(after)
                        .flatMap(v -> created ? knowledge.recordStep(m.messageId(), action.kind(), target, ackId)
                                : Uni.createFrom().voidItem()))
                        .replaceWith(after);
            }
            case MessageAction.RAISE -> {
                String objectionId = text(body, "objectionId");
                StoredMessage after = replace(m, index, action.done(objectionId, null));
                yield SessionSql.inTransaction(() -> messages.update(after)
                        .flatMap(v -> objectionId == null ? Uni.createFrom().voidItem()
                                : knowledge.objectionRaised(objectionId, m.proposal(), action.actor(), m.messageId(), null))
                        .flatMap(v -> knowledge.recordStep(m.messageId(), action.kind(), target, objectionId)))
                        .replaceWith(after);
            }
            default -> {
                StoredMessage after = replace(m, index, action.done(null, null));
                Optional<ObjectionStatus> status = Optional.ofNullable(text(body, "status")).flatMap(ActionApplier::status);
                Instant at = lastStepAt(body);
                yield SessionSql.inTransaction(() -> messages.update(after)
                        .flatMap(v -> status.isPresent() && at != null
                                ? knowledge.objectionStatus(action.objection(), status.get(), at)
                                : Uni.createFrom().voidItem())
                        .flatMap(v -> knowledge.recordStep(m.messageId(), action.kind(), target, null)))
                        .replaceWith(after);
            }
        };
    }

    /**
     * An action was refused: the acks this message gave (not those that were live already) are
     * taken back, newest first, and the message is rejected with the refusal.
     */
    private Uni<StoredMessage> compensate(StoredMessage m, Source source) {
        List<MessageAction> actions = m.actions();
        for (int i = actions.size() - 1; i >= 0; i--) {
            MessageAction a = actions.get(i);
            if (a.kind().equals(MessageAction.ACK) && a.is(MessageAction.DONE) && Boolean.TRUE.equals(a.created())
                    && a.result() != null) {
                int index = i;
                return review.retract(m.proposal(), a, source).flatMap(answer -> {
                    boolean gone = answer instanceof ReviewAnswer.Done
                            || (answer instanceof ReviewAnswer.Unavailable u && u.status() == 404);
                    if (gone || answer instanceof ReviewAnswer.Refused) {
                        if (answer instanceof ReviewAnswer.Refused r) {
                            LOG.warnf("message %s: ack %s could not be taken back: %s", m.messageId(), a.result(), r.detail());
                        }
                        return save(replace(m, index, a.undone())).flatMap(saved -> compensate(saved, source));
                    }
                    return save(pending(m, ((ReviewAnswer.Unavailable) answer).why()
                            + " (taking back the acks of a refused message)"));
                });
            }
        }
        MessageAction refused = actions.stream().filter(a -> a.is(MessageAction.REFUSED)).findFirst().orElseThrow();
        long undone = actions.stream().filter(a -> a.is(MessageAction.UNDONE)).count();
        List<String> kept = actions.stream().filter(a -> a.is(MessageAction.DONE) && !a.kind().equals(MessageAction.ACK))
                .map(a -> a.kind() + " " + a.result()).toList();
        String reason = "the review service refused " + refused.kind() + ": " + refused.refusal()
                + (undone > 0 ? "; the " + undone + " ack(s) it gave were taken back" : "")
                + (kept.isEmpty() ? "" : "; applied before the refusal and kept: " + String.join(", ", kept));
        return save(m.with(Outcome.REJECTED, reason, actions).retryAt(null, m.attempts()));
    }

    private Uni<StoredMessage> save(StoredMessage m) {
        return SessionSql.inTransaction(() -> messages.update(m)).replaceWith(m);
    }

    private static int firstTodo(List<MessageAction> actions) {
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i).is(MessageAction.TODO)) {
                return i;
            }
        }
        return -1;
    }

    private static StoredMessage replace(StoredMessage m, int index, MessageAction action) {
        List<MessageAction> actions = new ArrayList<>(m.actions());
        actions.set(index, action);
        return m.with(m.outcome(), m.reason(), actions);
    }

    private static String text(JsonNode body, String field) {
        return body == null ? null : body.path(field).asText(null);
    }

    private static Optional<ObjectionStatus> status(String name) {
        try {
            return Optional.of(ObjectionStatus.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The time of the last step in an objection view's thread: the step this command added, or a later one. */
    private static Instant lastStepAt(JsonNode view) {
        JsonNode thread = view == null ? null : view.path("thread");
        if (thread == null || !thread.isArray() || thread.isEmpty()) {
            return null;
        }
        String at = thread.get(thread.size() - 1).path("at").asText(null);
        try {
            return at == null ? null : Instant.parse(at);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
