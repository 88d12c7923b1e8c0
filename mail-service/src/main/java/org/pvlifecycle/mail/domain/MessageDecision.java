package org.pvlifecycle.mail.domain;

import org.pvlifecycle.mail.domain.Knowledge.Objection;
import org.pvlifecycle.mail.domain.Knowledge.Proposal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code decide(message, knowledge) → decision}: which proposal a list message belongs to and what
 * it does there (docs/mail.md). Pure: everything it needs is in the message and the
 * {@link Knowledge} the caller gathered for it.
 *
 * <ol>
 * <li><b>The list.</b> A message whose {@code List-Id} is not the configured list is ignored, "not
 * from the configured list".</li>
 * <li><b>Written by a person.</b> A message marked {@code Auto-Submitted} (RFC 3834; anything but
 * {@code no}) is ignored, "written by no person": the notices pv-lifecycle posts to the list and
 * its replies to senders come back through the list, and quote people's NACKs.</li>
 * <li><b>Which proposal</b>, the first of: (a) a known proposal its subject's prefix names
 * ({@link SubjectPrefix}); (c) the proposal of the nearest message it replies to
 * ({@code In-Reply-To}, then {@code References} from the newest); (b) the one proposal whose
 * paths its patch touches ({@link PatchedPaths}: a cover letter's are those its diffstat names),
 * as {@link ProposalPaths} matches them (a proposal path ending in {@code /} covers what is below
 * it; a path git shortened is matched by its tail). The thread comes before the paths: a reply belongs to the thread it answers, and a
 * patch touching the paths of several proposals names none of them. None: ignored, "maps to no
 * proposal".</li>
 * <li><b>What counts</b> ({@link Statements}, only the sender's own lines):
 * <ul>
 * <li>each {@code Acked-by:} / {@code Reviewed-by:} of the sender's: an ack of that kind for each of
 * the proposal's components the sender maintains in the policy; the trailer of someone who maintains
 * none of them is noted, not applied. A trailer with a scope ({@code # x86}) counts only for those of
 * them its scope names ({@link AckScope}); one whose scope names none of them gives no ack and is
 * noted with why, and one that names some of them is noted with those it leaves out. The first kind
 * is also an {@linkplain Decision#uncountedAcks() uncounted ack}, for its sender to be told of,
 * unless the message gives the same kind of ack for each of those components anyway;</li>
 * <li>each NACK: an objection, unless the sender is the author of the objection whose thread this is
 * (their NACK restates it). A rationale shorter than {@value #MIN_RATIONALE} characters, the review
 * rule's minimum (docs/rules.md#objections), rejects the whole message, "not a specific technical
 * objection", so that nothing of it is applied;</li>
 * <li>in an objection's thread (the nearest objection raised by a message it replies to): the step
 * {@link ThreadReply} names, with the sender's own text ({@link OwnText}) as the answer's or the
 * reaffirmation's text. A withdrawal anywhere else withdraws nothing and is noted: only the thread
 * says which objection it means.</li>
 * </ul></li>
 * </ol>
 * The actions come acks first and then the one-way steps (a raise, an answer, a reaffirmation, a
 * withdrawal), so that when the review service refuses a step, the acks given before it are the
 * only ones to take back. A body that could not be decoded faithfully is not acted on.
 */
public final class MessageDecision {
    /** The review rule's shortest rationale (docs/rules.md#objections). */
    public static final int MIN_RATIONALE = 30;
    public static final String NOT_FROM_THE_LIST = "not from the configured list";
    public static final String NO_PROPOSAL = "maps to no proposal";
    public static final String NOTHING_ACTIONABLE = "nothing actionable";
    public static final String AUTOMATIC = "written by no person";
    public static final String NOT_SPECIFIC = "not a specific technical objection";
    public static final String WITHDRAWAL_OUTSIDE_THREAD = "it withdraws an objection outside the objection's thread:"
            + " a NACK's author withdraws only in the thread of the NACK (a reply to it, directly or further down)";

    private MessageDecision() {
    }

    public static Decision decide(MailMessage message, Knowledge knowledge) {
        boolean listed = message.listId().map(l -> l.toLowerCase(Locale.ROOT))
                .filter(knowledge.list().toLowerCase(Locale.ROOT)::equals).isPresent();
        if (!listed) {
            return Decision.ignore(Optional.empty(), NOT_FROM_THE_LIST + " (" + knowledge.list() + "): List-Id "
                    + message.listId().orElse("absent"));
        }
        if (message.autoSubmitted().isPresent()) {
            return Decision.ignore(Optional.empty(), AUTOMATIC + " (Auto-Submitted: " + message.autoSubmitted().get() + ")");
        }
        Tie tie = proposalOf(message, knowledge);
        if (tie.proposal() == null) {
            return Decision.ignore(Optional.empty(), tie.why() == null ? NO_PROPOSAL : NO_PROPOSAL + ": " + tie.why());
        }
        Proposal proposal = tie.proposal();
        Optional<String> id = Optional.of(proposal.id());
        if (proposal.stage() != null && proposal.stage().isTerminal()) {
            return Decision.ignore(id, "proposal " + proposal.id() + " is " + proposal.stage() + ": its review is closed");
        }
        if (message.bodyProblem().isPresent()) {
            return Decision.ignore(id, "the body could not be read faithfully: " + message.bodyProblem().get());
        }

        String sender = knowledge.sender();
        Statements statements = Statements.of(message);
        List<String> notes = new ArrayList<>();
        statements.ignored().forEach(i -> notes.add("line " + i.line() + " \"" + i.text() + "\" ignored: " + i.reason()));

        List<MailAction> acks = new ArrayList<>();
        List<Decision.UncountedAck> uncounted = new ArrayList<>();
        List<String> maintained = proposal.components().stream().filter(c -> knowledge.maintains(sender, c)).toList();
        for (Statements.Ack ack : statements.acks()) {
            List<String> acked = maintained;
            if (maintained.isEmpty()) {
                notes.add(ack.kind() + " by " + sender + " ignored: they maintain none of " + proposal.components());
            } else if (ack.scope().isPresent()) {
                acked = scoped(ack, ack.scope().get(), maintained, sender, knowledge, notes);
                if (acked.isEmpty()) {
                    uncounted.add(uncounted(ack, maintained, knowledge));
                }
            }
            for (String component : acked) {
                MailAction.GiveAck give = new MailAction.GiveAck(sender, ack.kind(), component);
                if (!acks.contains(give)) {
                    acks.add(give);
                }
            }
        }

        // A trailer whose acks the message gives anyway (the same kind, without a scope) leaves no ack
        // of the sender's missing: telling them of it would only be noise.
        uncounted.removeIf(u -> u.maintained().stream()
                .allMatch(c -> acks.contains(new MailAction.GiveAck(sender, u.ack().kind(), c))));

        List<MailAction> steps = new ArrayList<>();
        Optional<Objection> thread = objectionOfThread(message, knowledge, proposal.id());
        boolean authorOfThread = thread.filter(o -> o.author().equals(sender)).isPresent();
        if (thread.isPresent()) {
            Objection o = thread.get();
            ThreadReply reply = ThreadReply.of(sender, proposal.owner(), o.author(), o.status(), statements.withdraws());
            String text = OwnText.of(message.body());
            if (reply.step().isEmpty()) {
                notes.add("in the thread of objection " + o.id() + ": " + reply.reason());
            } else if (reply.step().get() == ThreadReply.Step.WITHDRAW) {
                steps.add(new MailAction.Withdraw(sender, o.id(), text.isEmpty() ? null : text));
            } else if (text.isEmpty()) {
                notes.add("in the thread of objection " + o.id() + ": the reply has no text of its own");
            } else if (reply.step().get() == ThreadReply.Step.ANSWER) {
                steps.add(new MailAction.Answer(sender, o.id(), text));
            } else {
                steps.add(new MailAction.Reaffirm(sender, o.id(), text));
            }
        } else if (statements.withdraws()) {
            // Which objection it means is known only from the thread: the message that raised it is the
            // one a withdrawal answers (docs/mail.md). Outside it, guessing could free a blocked proposal.
            notes.add(WITHDRAWAL_OUTSIDE_THREAD);
        }
        for (Statements.Nack nack : statements.nacks()) {
            if (authorOfThread) {
                notes.add("the NACK on line " + nack.line() + " restates objection " + thread.get().id());
                continue;
            }
            String rationale = nack.rationale().strip();
            if (rationale.length() < MIN_RATIONALE) {
                return Decision.reject(proposal.id(), NOT_SPECIFIC + ": the NACK on line " + nack.line()
                        + " gives " + rationale.length() + " characters of reason; the process asks for what is wrong"
                        + " and why, in at least " + MIN_RATIONALE, uncounted);
            }
            steps.add(new MailAction.Raise(sender, nack.category(), nack.section(),
                    rationale.length() <= OwnText.MAX_LENGTH ? rationale : rationale.substring(0, OwnText.MAX_LENGTH)));
        }

        List<MailAction> actions = new ArrayList<>(acks);
        actions.addAll(steps);
        Optional<String> noted = notes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", notes));
        if (actions.isEmpty()) {
            return Decision.ignore(id, NOTHING_ACTIONABLE + noted.map(n -> ": " + n).orElse(""), uncounted);
        }
        return Decision.act(proposal.id(), actions, noted, uncounted);
    }

    /** The trailer that gave no ack, with the components the sender maintains and their titles, for the reply. */
    private static Decision.UncountedAck uncounted(Statements.Ack ack, List<String> maintained, Knowledge knowledge) {
        Map<String, String> titles = new HashMap<>();
        for (String component : maintained) {
            Knowledge.Component described = knowledge.components().get(component);
            if (described != null && described.title() != null && !described.title().isBlank()) {
                titles.put(component, described.title());
            }
        }
        return new Decision.UncountedAck(ack, maintained, titles);
    }

    /**
     * Of the components the sender maintains on the proposal, those the ack's scope names; a note
     * when it leaves any out, saying why.
     */
    private static List<String> scoped(Statements.Ack ack, AckScope scope, List<String> maintained, String sender,
            Knowledge knowledge, List<String> notes) {
        List<String> named = scope.named(maintained, knowledge.components());
        String trailer = "line " + ack.line() + " \"" + ack.trailer() + "\"";
        if (named.isEmpty()) {
            notes.add(trailer + " ignored: \"# " + scope.text() + "\" names none of the components maintained by " + sender
                    + " on this proposal " + maintained + ": a scoped trailer counts only for the components its scope"
                    + " names, by a word of their id or title or a path their patterns cover");
        } else if (named.size() < maintained.size()) {
            List<String> left = maintained.stream().filter(c -> !named.contains(c)).toList();
            notes.add(trailer + " counts for " + named + " only: \"# " + scope.text() + "\" names none of " + left);
        }
        return named;
    }

    /** The proposal a message belongs to, or why none. */
    private record Tie(Proposal proposal, String why) {
    }

    private static Tie proposalOf(MailMessage message, Knowledge knowledge) {
        for (String candidate : SubjectPrefix.parse(message.subject()).candidateIds()) {
            Proposal named = knowledge.proposals().get(candidate);
            if (named != null) {
                return new Tie(named, null);
            }
        }
        for (String ancestor : ancestors(message)) {
            String replied = knowledge.repliedTo().get(ancestor);
            if (replied != null && knowledge.proposals().containsKey(replied)) {
                return new Tie(knowledge.proposals().get(replied), null);
            }
        }
        List<String> touched = PatchedPaths.in(message);
        Set<String> matching = new LinkedHashSet<>();
        for (Proposal p : knowledge.proposals().values()) {
            if (touched.stream().anyMatch(path -> ProposalPaths.covers(p.paths(), path))) {
                matching.add(p.id());
            }
        }
        if (matching.size() == 1) {
            return new Tie(knowledge.proposals().get(matching.iterator().next()), null);
        }
        if (matching.size() > 1) {
            return new Tie(null, "its patch touches the paths of several proposals " + matching.stream().sorted().toList()
                    + "; name one in the subject");
        }
        return new Tie(null, null);
    }

    /** The ids the message replies to, nearest first: {@code In-Reply-To}, then {@code References} from the newest. */
    public static List<String> ancestors(MailMessage message) {
        Set<String> ids = new LinkedHashSet<>();
        message.inReplyTo().ifPresent(ids::add);
        List<String> references = message.references();
        for (int i = references.size() - 1; i >= 0; i--) {
            ids.add(references.get(i));
        }
        return List.copyOf(ids);
    }

    /** The objection of the proposal raised by the nearest message this one replies to. */
    private static Optional<Objection> objectionOfThread(MailMessage message, Knowledge knowledge, String proposal) {
        for (String ancestor : ancestors(message)) {
            for (Objection o : knowledge.objections()) {
                if (ancestor.equals(o.raisedBy()) && o.proposal().equals(proposal)) {
                    return Optional.of(o);
                }
            }
        }
        return Optional.empty();
    }
}
