package org.pvlifecycle.notification.domain;

import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckRetracted;
import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.Source;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The mailing list's thread of a proposal (channel {@code LIST}, docs/api.md): which notices go in
 * the next message and when it may go, and the words of the message. The list is read by
 * everyone, so one message a proposal per interval (an hour) carries everything that happened
 * since the last one, instead of one message for each notice.
 */
public final class ListThread {

    /**
     * One notice as the list reads it. {@code whoMustAct}, {@code action} and {@code deadline} are
     * null for an event a subscription asked for by its type.
     */
    public record Item(String title, String whatHappened, String whoMustAct, String action, Instant deadline,
            Instant at, String actor) {
    }

    /**
     * Whether a message about the proposal may go now: none went yet, or the last one went at
     * least {@code minInterval} ago.
     */
    public static boolean mayPost(Instant lastPostedAt, Instant now, Duration minInterval) {
        return lastPostedAt == null || !now.isBefore(lastPostedAt.plus(minInterval));
    }

    /** Until when notices wait after the message posted at {@code lastPostedAt}; null when none was posted. */
    public static Instant heldUntil(Instant lastPostedAt, Duration minInterval) {
        return lastPostedAt == null ? null : lastPostedAt.plus(minInterval);
    }

    /**
     * Whether a pending notice goes in the message that goes now: one that is due, and one whose
     * earlier message failed ({@code attempts > 0}) even if its retry is planned later, so that a
     * failed message and newer notices make one message, not two within the interval. A notice
     * planned for later (a reminder) waits for its time.
     */
    public static boolean goesInNext(Instant nextAttemptAt, int attempts, Instant now) {
        return attempts > 0 || nextAttemptAt == null || !nextAttemptAt.isAfter(now);
    }

    /**
     * The list message that an event came from, when the mail bridge applied it on a list member's
     * behalf; null for a step sent over REST and for the events that never carry one.
     */
    public static Source mailSource(LifecycleEvent data) {
        Source source = null;
        if (data instanceof ObjectionRaised e) {
            source = e.source();
        } else if (data instanceof ObjectionAnswered e) {
            source = e.source();
        } else if (data instanceof ObjectionReaffirmed e) {
            source = e.source();
        } else if (data instanceof ObjectionWithdrawn e) {
            source = e.source();
        } else if (data instanceof AckGiven e) {
            source = e.source();
        } else if (data instanceof AckRetracted e) {
            source = e.source();
        }
        return source != null && source.kind() == Source.Kind.MAIL ? source : null;
    }

    /** A message id of pv-lifecycle's own, without angle brackets, from a value unique to the message. */
    public static String messageId(String unique) {
        return unique + "@pv-lifecycle";
    }

    /**
     * {@code [pv-lifecycle <id>] <title>}, with {@code Re: } when it replies to the thread's root
     * (the first message of a thread starts it, so it is no reply).
     */
    public static String subject(String proposalId, String title, boolean reply) {
        String name = title == null || title.isBlank() ? proposalId : title.replaceAll("\\s+", " ").strip();
        return (reply ? "Re: " : "") + "[pv-lifecycle " + proposalId + "] " + name;
    }

    /** Who acts on a notice for this audience, in words for the list (where everyone reads it). */
    public static String whoMustAct(Audience audience) {
        return switch (audience) {
            case OWNER -> "the proposal's owner";
            case OBJECTION_AUTHOR -> "the objection's author";
            case REVIEWERS -> "the reviewers of the proposal";
            case CZAR -> "the Czar";
        };
    }

    /** A notice as the list reads it: the words {@link NoticeText} rendered, and who must act. */
    public static Item item(EventEnvelope<? extends LifecycleEvent> event, Notice notice, Audience audience,
            NoticeText.Rendered rendered) {
        return new Item(notice == null ? event.type().typeName() : notice.title(), rendered.whatHappened(),
                audience == null ? null : whoMustAct(audience), rendered.action(), rendered.deadline(), event.time(),
                event.actor());
    }

    /**
     * Where the proposal stands after an {@code eligibility-changed}, in words: whether it may leave
     * its stage, what blocks it and who must act on each blocker, and the deadlines (ISO-8601).
     */
    public static String standing(EligibilityChanged e, Instant asOf) {
        StringBuilder s = new StringBuilder("As of ").append(NoticeText.format(asOf)).append(' ');
        if (e.eligible()) {
            s.append("it is eligible to leave ").append(e.stage()).append(": the Czar decides the transition.\n");
        } else if (e.blockers().isEmpty()) {
            s.append("it is not eligible to leave ").append(e.stage()).append(".\n");
        } else {
            s.append("it is not eligible to leave ").append(e.stage()).append(". What blocks it, and who must act:\n");
            for (Blocker b : e.blockers()) {
                s.append("- ").append(oneLine(b.message()));
                String who = whoActsOn(b);
                if (who != null) {
                    s.append(": ").append(who);
                }
                s.append(".\n");
            }
        }
        if (e.windowEndsAt() != null) {
            s.append("Review window ends: ").append(NoticeText.format(e.windowEndsAt())).append('\n');
        }
        if (e.nextDeadline() != null) {
            s.append("Next deadline: ").append(NoticeText.format(e.nextDeadline())).append('\n');
        }
        if (e.decisionOverdueSince() != null) {
            s.append("Decision overdue since: ").append(NoticeText.format(e.decisionOverdueSince())).append('\n');
        }
        return s.toString().stripTrailing();
    }

    /** Who acts on one blocker, by its code (docs/rules.md); null for a code this version does not know. */
    static String whoActsOn(Blocker b) {
        if (b.code() == null) {
            return null;
        }
        return switch (b.code()) {
            case "NO_REVIEW_REQUESTED" -> "the proposal's owner requests review";
            case "WINDOW_OPEN" -> "reviewers ack, or raise specific technical objections"
                    + (b.until() == null ? "" : ", by " + NoticeText.format(b.until()));
            case "OBJECTION_BLOCKING" -> "the proposal's owner answers it, or "
                    + (b.by() == null ? "its author" : b.by()) + " withdraws it";
            case "SECTION_MISSING" -> "the proposal's owner revises the spec";
            case "EVIDENCE_MISSING" -> "the proposal's owner records the evidence";
            case "ACK_MISSING" -> b.component() == null ? "a tester gives TESTED_BY"
                    : "a maintainer of " + b.component() + " acks it";
            default -> null;
        };
    }

    /**
     * The plain-text body of one message: every notice since the last message (a notice that two
     * subscriptions both asked for is listed once), where the proposal stands, and the dashboard.
     * What people wrote (an objection's rationale, an answer) is quoted with {@code >}: the mail
     * bridge reads this list too and ignores quoted lines, so a rationale that starts a line with
     * {@code NACK} or {@code Acked-by:} is never taken for a statement of pv-lifecycle's own.
     *
     * @param standing where the proposal stands ({@link #standing}), or null when not known yet
     */
    public static String body(String proposalId, String title, List<Item> items, String standing, String link) {
        List<Item> distinct = List.copyOf(new LinkedHashSet<>(items));
        StringBuilder text = new StringBuilder();
        text.append(distinct.size() == 1 ? "A notice" : distinct.size() + " notices").append(" about proposal ")
                .append(proposalId);
        if (title != null && !title.isBlank()) {
            text.append(" (\"").append(oneLine(title)).append("\")");
        }
        text.append(" since the last message in this thread:\n");
        int n = 1;
        for (Item item : distinct) {
            text.append('\n').append(n++).append(". ").append(oneLine(item.title())).append('\n')
                    .append("   What happened:\n");
            for (String line : item.whatHappened().split("\\R")) {
                text.append("   > ").append(line).append('\n');
            }
            if (item.whoMustAct() != null) {
                text.append("   Who must act: ").append(item.whoMustAct()).append('\n');
            }
            if (item.action() != null) {
                text.append("   What to do: ").append(oneLine(item.action())).append('\n');
            }
            if (item.deadline() != null) {
                text.append("   Deadline: ").append(NoticeText.format(item.deadline())).append('\n');
            }
            text.append("   When: ").append(NoticeText.format(item.at())).append(" (by ").append(item.actor())
                    .append(")\n");
        }
        text.append("\nWhere it stands:\n")
                .append(standing == null ? "No eligibility has been computed for it yet." : standing).append('\n')
                .append("\nDashboard: ").append(link).append('\n')
                .append("\n-- \npv-lifecycle notification service (automated; notices of a proposal are "
                        + "gathered into one message at most every interval)\n");
        return text.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private ListThread() {
    }
}
