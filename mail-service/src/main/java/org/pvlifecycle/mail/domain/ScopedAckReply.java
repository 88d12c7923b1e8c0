package org.pvlifecycle.mail.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.pvlifecycle.mail.domain.Reply.KEEP_TOGETHER;
import static org.pvlifecycle.mail.domain.Reply.listed;
import static org.pvlifecycle.mail.domain.Reply.wrapped;

/**
 * The reply to a maintainer whose scoped trailer ({@code Acked-by: ... # tools}) gave no ack, its
 * scope naming none of the components they maintain on the proposal (docs/mail.md, "Replies to
 * senders"). The answer's reason says so too, but only {@code GET /messages} shows it: without a
 * word back, a maintainer who believes they acked waits while the proposal waits for their ack.
 * It says which trailers were not counted and why, how to give an ack that counts, and what the
 * rest of the message does.
 */
public final class ScopedAckReply {
    private ScopedAckReply() {
    }

    /**
     * The reply to {@code message}, from {@code fromDomain}: its trailers {@code uncounted} gave no
     * ack on {@code proposal}; {@code actions} are what the rest of it does.
     */
    public static Reply to(MailMessage message, String proposal, List<Decision.UncountedAck> uncounted,
            List<MailAction> actions, String fromDomain) {
        String rest = actions.isEmpty()
                ? "Nothing else in your message asked for an action, so nothing of it was applied."
                : "The rest of your message is applied as usual: " + String.join("; ", described(actions)) + ".";
        return Reply.answering(message, explanation("your message <" + message.messageId() + ">", proposal, uncounted)
                + "\n\n" + wrapped(rest), fromDomain);
    }

    /**
     * The paragraphs about {@code uncounted} (at least one), starting with {@code lead}, the message
     * as the sentence names it ("your message &lt;id&gt;"): which trailers, why, and how to ack.
     */
    static String explanation(String lead, String proposal, List<Decision.UncountedAck> uncounted) {
        boolean one = uncounted.size() == 1;
        // The same sender and proposal: every trailer's components are the same, gathered for safety.
        Set<String> maintained = new LinkedHashSet<>();
        Map<String, String> titles = new LinkedHashMap<>();
        Set<String> scopes = new LinkedHashSet<>();
        List<String> trailers = new ArrayList<>();
        for (Decision.UncountedAck u : uncounted) {
            maintained.addAll(u.maintained());
            titles.putAll(u.titles());
            u.ack().scope().ifPresent(s -> scopes.add("\"" + s.text() + "\""));
            trailers.add("  " + u.ack().trailer());
        }
        List<String> components = maintained.stream()
                .map(c -> titles.containsKey(c) ? c + " (" + titles.get(c) + ")" : c).toList();
        Statements.Ack first = uncounted.get(0).ack();
        // An unscoped trailer of the same kind, by the same name and address: what the sender wrote, minus the scope.
        String unscoped = new Statements.Ack(first.kind(), first.name(), first.address(), first.line()).trailer();
        return wrapped(lead + (one ? " has a trailer that was not counted as an ack" : " has trailers that were not"
                        + " counted as acks") + " on proposal " + proposal + ":")
                + "\n\n" + String.join("\n", trailers) + "\n\n"
                + wrapped((one ? "Its" : "Their") + (scopes.size() == 1 ? " scope, " : " scopes, ") + listed(List.copyOf(scopes))
                        + (scopes.size() == 1 ? ", names" : ", name") + " none of the components you maintain on this"
                        + " proposal: " + listed(components) + ". A trailer with a scope counts only for the components"
                        + " its scope names, so " + (one ? "this one" : "these") + " gave no ack at all.")
                + "\n\n"
                + wrapped("To give an ack that counts, reply in the proposal's thread on the list with the trailer"
                        + " without a scope, which counts for every component you maintain on the proposal:")
                + "\n\n  " + unscoped + "\n\n"
                // A word of a component's id names it (AckScope), so its id is a scope that counts. In the
                // prose rather than a second trailer line: with the scope, that would rarely fit in 72 columns.
                + wrapped("or with a scope after it naming the components it is for: their id, a word of their title"
                        + " or a path their F: patterns cover, such as \"#" + KEEP_TOGETHER + maintained.iterator().next()
                        + "\". An ack can also be given through the REST API (POST" + KEEP_TOGETHER + "/proposals/"
                        + proposal + "/acks).");
    }

    /** What the actions do, as the sender would say it: "Acked-by for x86-architecture, arm-architecture". */
    private static List<String> described(List<MailAction> actions) {
        Map<AckKind, List<String>> acked = new LinkedHashMap<>();
        int raised = 0;
        List<String> steps = new ArrayList<>();
        for (MailAction action : actions) {
            if (action instanceof MailAction.GiveAck a) {
                acked.computeIfAbsent(a.kind(), k -> new ArrayList<>()).add(a.component());
            } else if (action instanceof MailAction.Raise) {
                raised++;
            } else if (action instanceof MailAction.Answer a) {
                steps.add("your answer to objection " + a.objectionId());
            } else if (action instanceof MailAction.Reaffirm r) {
                steps.add("your reaffirmation of objection " + r.objectionId());
            } else if (action instanceof MailAction.Withdraw w) {
                steps.add("the withdrawal of objection " + w.objectionId());
            }
        }
        List<String> described = new ArrayList<>();
        acked.forEach((kind, components) -> described.add(
                (kind == AckKind.ACKED_BY ? "Acked-by" : "Reviewed-by") + " for " + String.join(", ", components)));
        if (raised > 0) {
            described.add(raised == 1 ? "the objection its NACK raises" : "the " + raised + " objections its NACKs raise");
        }
        described.addAll(steps);
        return described;
    }
}
