package org.pvlifecycle.mail;

import org.pvlifecycle.eventstore.SessionSql;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.mail.dkim.DkimCheck;
import org.pvlifecycle.mail.domain.Decision;
import org.pvlifecycle.mail.domain.Knowledge;
import org.pvlifecycle.mail.domain.MailMessage;
import org.pvlifecycle.mail.domain.MessageDecision;
import org.pvlifecycle.mail.domain.PatchedPaths;
import org.pvlifecycle.mail.domain.Reply;
import org.pvlifecycle.mail.domain.SubjectPrefix;
import org.pvlifecycle.mail.mailbox.SmtpSender;
import org.pvlifecycle.mail.persistence.KnowledgeRepository;
import org.pvlifecycle.mail.persistence.MessageAction;
import org.pvlifecycle.mail.persistence.MessageRepository;
import org.pvlifecycle.mail.persistence.ReplyRepository;
import org.pvlifecycle.mail.persistence.StoredMessage;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A list message in, its outcome out (docs/mail.md, "How a message is applied"): a Message-ID seen
 * before is a {@code DUPLICATE} and changes nothing; otherwise the message is decided
 * ({@link MessageDecision}) with what this service knows, recorded, and its actions applied
 * ({@link ActionApplier}): the answer says {@code APPLIED}, or {@code PENDING} while the review
 * service is away. A message that replies to one still pending waits, undecided, until that one is
 * applied: its thread's objection may not exist yet. With {@code pvl.mail.dkim.required}, a message
 * of the list without a valid DKIM signature of its From domain is ignored before any of that. A
 * NACK rejected as not specific, or a scoped trailer that gave no ack, owes its sender a reply
 * ({@link Reply#owed}), recorded with the outcome and sent by {@link ReplyLoop}.
 * {@code POST /messages} and {@link ImapPolling} both come in here.
 */
@ApplicationScoped
public class MailBridge {

    @Inject
    MessageRepository messages;

    @Inject
    KnowledgeRepository knowledge;

    @Inject
    ActionApplier applier;

    @Inject
    MailConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @Inject
    DkimCheck dkim;

    @Inject
    ReplyRepository replies;

    @Inject
    ReplyLoop replyLoop;

    @Inject
    SmtpSender smtp;

    /** The reason of a message ignored for want of a signature (pvl.mail.dkim.required). */
    public static final String NO_VALID_SIGNATURE = "no valid DKIM signature";

    /** Receives one parsed message ({@code raw} is its bytes); the message as recorded, or a duplicate's answer. */
    public Uni<StoredMessage> receive(MailMessage message, byte[] raw) {
        Instant now = clock.instant();
        return messages.find(message.messageId()).flatMap(seen -> {
            if (seen.isPresent()) {
                return Uni.createFrom().item(duplicate(seen.get()));
            }
            return knowledge.personOf(message.from().address()).flatMap(person -> {
                StoredMessage received = new StoredMessage(message.messageId(), now, message.listId().orElse(null),
                        message.from().address(), person, message.subject(), message.inReplyTo().orElse(null), null,
                        Outcome.PENDING, null, null, List.of(), 0, null, raw);
                return signed(message, raw).flatMap(valid -> valid ? decide(received, message)
                                : Uni.createFrom().item(new Decided(received.decided(null, Outcome.IGNORED, NO_VALID_SIGNATURE,
                                        null, List.of()).retryAt(null, 0), Optional.empty())))
                        .flatMap(decided -> SessionSql.inTransaction(() -> messages.insert(decided.message())
                                .flatMap(inserted -> inserted ? afterDecision(decided, message).replaceWith(true)
                                        : Uni.createFrom().item(false)))
                        .flatMap(inserted -> {
                            if (!inserted) {
                                // Received twice at once: the other one is the first.
                                return messages.find(message.messageId())
                                        .map(first -> duplicate(first.orElse(decided.message())));
                            }
                            repliesOwed(decided);
                            return actNow(decided.message());
                        }));
            });
        }).invoke(m -> registry.counter("pvl.mail.messages", "outcome", m.outcome().name()).increment());
    }

    /** A pending message again (the retry loop): decided now if it was waiting, then applied. */
    public Uni<StoredMessage> resume(StoredMessage pending) {
        if (pending.outcome() != Outcome.PENDING) {
            return Uni.createFrom().item(pending);
        }
        if (!pending.undecided()) {
            return applier.apply(pending);
        }
        MailMessage message = MailMessage.parse(pending.raw());
        return decide(pending, message)
                .flatMap(decided -> SessionSql.inTransaction(() -> messages.update(decided.message())
                                .flatMap(v -> afterDecision(decided, message)))
                        .replaceWith(decided))
                .invoke(this::repliesOwed)
                .flatMap(decided -> actNow(decided.message()));
    }

    /** A message with its decision, and the reply it owes its sender, if any (only when replies can go out). */
    private record Decided(StoredMessage message, Optional<Reply> reply) {
    }

    private Uni<StoredMessage> actNow(StoredMessage decided) {
        return decided.outcome() == Outcome.PENDING && !decided.undecided() ? applier.apply(decided)
                : Uni.createFrom().item(decided);
    }

    /**
     * The message with its decision: its proposal, outcome and actions, and the reply it owes; or
     * still undecided, to be retried, when it replies to a message of the configured list that is
     * still pending.
     */
    private Uni<Decided> decide(StoredMessage received, MailMessage message) {
        Instant now = clock.instant();
        List<String> ancestors = MessageDecision.ancestors(message);
        return gather(message, received.person(), ancestors)
                .flatMap(known -> fromTheList(message) ? messages.pendingAmong(ancestors).map(p -> Map.entry(known, p))
                        : Uni.createFrom().item(Map.entry(known, List.<String>of())))
                .map(gathered -> {
                    List<String> waitingFor = gathered.getValue();
                    if (!waitingFor.isEmpty()) {
                        int attempts = received.attempts() + 1;
                        return new Decided(new StoredMessage(received.messageId(), received.receivedAt(),
                                received.listId(), received.sender(), received.person(), received.subject(),
                                received.inReplyTo(), null, Outcome.PENDING, "waits for " + String.join(", ", waitingFor)
                                + " of its thread, still pending, to be applied first", null, List.of(), attempts,
                                now.plus(applier.backoff(attempts)), received.raw()), Optional.empty());
                    }
                    Decision decision = MessageDecision.decide(message, gathered.getKey());
                    String proposal = decision.proposal().orElse(null);
                    String reason = decision.reason().orElse(null);
                    // No SMTP server, no replies: none are recorded either, so nothing piles up unsent.
                    Optional<Reply> reply = smtp.configured() ? Reply.owed(message, decision, smtp.fromDomain())
                            : Optional.empty();
                    StoredMessage decided = switch (decision.verdict()) {
                        case ACT -> received.decided(proposal, Outcome.PENDING, reason, reason,
                                        decision.actions().stream().map(MessageAction::of).toList())
                                // Being applied by the caller now; the retry loop takes over after the lease.
                                .retryAt(now.plus(config.retry().lease()), received.attempts());
                        case IGNORE -> received.decided(proposal, Outcome.IGNORED, reason, null, List.of()).retryAt(null, received.attempts());
                        case REJECT -> received.decided(proposal, Outcome.REJECTED, reason, null, List.of()).retryAt(null, received.attempts());
                    };
                    return new Decided(decided, reply);
                });
    }

    /** What the message's decision needs to know, read in the caller's session. */
    private Uni<Knowledge> gather(MailMessage message, String person, List<String> ancestors) {
        List<String> named = SubjectPrefix.parse(message.subject()).candidateIds();
        List<String> paths = PatchedPaths.in(message);
        return messages.proposalsOf(ancestors).flatMap(byMessage -> knowledge.proposalsRootedAt(ancestors).flatMap(byRoot ->
                knowledge.proposalsTouching(paths).flatMap(touching -> {
                    Map<String, String> repliedTo = new HashMap<>(byRoot);
                    repliedTo.putAll(byMessage);
                    Set<String> ids = new LinkedHashSet<>(named);
                    ids.addAll(repliedTo.values());
                    ids.addAll(touching);
                    return knowledge.proposals(ids).flatMap(proposals -> knowledge.objectionsRaisedBy(ancestors)
                            .flatMap(objections -> knowledge.maintainers().flatMap(maintainers -> knowledge.components()
                                    .map(components -> new Knowledge(config.listId(), person, proposals, repliedTo,
                                            objections, maintainers, components)))));
                })));
    }

    private boolean fromTheList(MailMessage message) {
        return message.listId().map(l -> l.equalsIgnoreCase(config.listId().toLowerCase(Locale.ROOT))).orElse(false);
    }

    /**
     * Whether the message may be decided as far as DKIM goes: always when no signature is required,
     * or when it is not from the configured list (it is ignored for that, without a DNS lookup);
     * else when it has a valid signature of its From domain. A key lookup failing for now fails
     * the receipt ({@link DkimUnavailableException}): the message is not recorded, so that it is
     * taken again (POST /messages answers 503; the IMAP poller leaves it unseen).
     */
    private Uni<Boolean> signed(MailMessage message, byte[] raw) {
        if (!dkim.required() || !fromTheList(message)) {
            return Uni.createFrom().item(true);
        }
        return Offload.call(() -> dkim.check(raw, message.from().address())).map(verdict -> switch (verdict) {
            case VALID -> true;
            case INVALID -> false;
            case UNAVAILABLE -> throw new DkimUnavailableException(message.messageId());
        });
    }

    /**
     * What a decision's transaction records besides the message: its thread's root, and the reply
     * owed, so that a reply is owed exactly when the decision is recorded. Replies come from the
     * decision alone: a refusal by the review service later owes none.
     */
    private Uni<Void> afterDecision(Decided decided, MailMessage message) {
        return rootOf(decided.message(), message).flatMap(v -> decided.reply().isPresent()
                ? replies.owe(decided.message().messageId(), decided.reply().get(), clock.instant())
                : Uni.createFrom().voidItem());
    }

    /** A reply recorded is sent by {@link ReplyLoop}, after the answer: the caller never waits on SMTP. */
    private void repliesOwed(Decided decided) {
        if (decided.reply().isPresent()) {
            replyLoop.wake();
        }
    }

    /** The first message tied to a proposal that replies to none is the root of its thread. */
    private Uni<Void> rootOf(StoredMessage decided, MailMessage message) {
        boolean startsAThread = message.inReplyTo().isEmpty() && message.references().isEmpty();
        return decided.proposal() != null && startsAThread ? knowledge.rootIfNone(decided.proposal(), decided.messageId())
                : Uni.createFrom().voidItem();
    }

    private static StoredMessage duplicate(StoredMessage first) {
        return new StoredMessage(first.messageId(), first.receivedAt(), first.listId(), first.sender(), first.person(),
                first.subject(), first.inReplyTo(), first.proposal(), Outcome.DUPLICATE,
                "seen before, at " + first.receivedAt() + " (" + first.outcome() + "): nothing happens again", null, List.of(),
                first.attempts(), null, null);
    }
}
