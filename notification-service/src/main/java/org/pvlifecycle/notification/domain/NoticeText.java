package org.pvlifecycle.notification.domain;

import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckRetracted;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.DeliveryFailed;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EvidenceRecorded;
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
import org.pvlifecycle.events.ReviewRequested;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.events.TransitionDecided;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The words of a notice: what happened, to which proposal, what the reader can do and by when,
 * and the link to the proposal's view; as a plain-text and an HTML body for e-mail.
 */
public final class NoticeText {

    /** A rendered notice. {@code action} and {@code deadline} may be null for a plain event. */
    public record Rendered(String subject, String whatHappened, String action, Instant deadline, String link,
            String text, String html) {
    }

    /**
     * @param notice      the notice, or null for an event a subscription asked for by its type
     * @param deadline    by when the reader must act, or null
     * @param objectionId the objection the notice is about, or null
     * @param link        the proposal's view
     */
    public static Rendered render(EventEnvelope<? extends LifecycleEvent> event, Notice notice, Instant deadline,
            String objectionId, String link) {
        String proposal = event.subject();
        String happened = whatHappened(event);
        String action = notice == null ? null : notice.actionTemplate()
                .replace("{proposal}", proposal)
                .replace("{objection}", objectionId == null ? "" : objectionId)
                .replace("{deadline}", deadline == null ? "" : format(deadline));
        String subject = "[pv-lifecycle] " + proposal + ": "
                + (notice == null ? event.type().typeName() : notice.title());
        StringBuilder text = new StringBuilder();
        text.append(notice == null ? event.type().typeName() : notice.title()).append("\n\n")
                .append("Proposal: ").append(proposal).append('\n')
                .append("What happened: ").append(happened).append('\n');
        if (action != null) {
            text.append("What you can do: ").append(action).append('\n');
        }
        if (deadline != null) {
            text.append("Deadline: ").append(format(deadline)).append('\n');
        }
        text.append("When: ").append(format(event.time())).append(" (by ").append(event.actor()).append(")\n")
                .append("View: ").append(link).append('\n');
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><body>")
                .append("<h1>").append(escape(notice == null ? event.type().typeName() : notice.title())).append("</h1>")
                .append("<p><strong>Proposal:</strong> <a href=\"").append(escape(link)).append("\">")
                .append(escape(proposal)).append("</a></p>")
                .append("<p><strong>What happened:</strong> ").append(escape(happened)).append("</p>");
        if (action != null) {
            html.append("<p><strong>What you can do:</strong> ").append(escape(action)).append("</p>");
        }
        if (deadline != null) {
            html.append("<p><strong>Deadline:</strong> <time datetime=\"").append(format(deadline)).append("\">")
                    .append(format(deadline)).append("</time></p>");
        }
        html.append("<p><small>").append(escape(format(event.time()))).append(" by ").append(escape(event.actor()))
                .append(" &middot; <a href=\"").append(escape(link)).append("\">open the proposal</a></small></p>")
                .append("</body></html>");
        return new Rendered(subject, happened, action, deadline, link, text.toString(), html.toString());
    }

    /** One sentence for each event type of the contract. */
    public static String whatHappened(EventEnvelope<? extends LifecycleEvent> event) {
        LifecycleEvent data = event.data();
        String actor = event.actor();
        if (data instanceof ProposalSubmitted e) {
            return actor + " submitted \"" + e.title() + "\" (components " + String.join(", ", e.components())
                    + ") in DESIGN.";
        } else if (data instanceof ProposalRevised e) {
            return actor + " revised the proposal to revision " + e.revision() + ".";
        } else if (data instanceof EvidenceRecorded e) {
            return actor + " recorded " + e.kind() + " evidence: " + e.reference() + ".";
        } else if (data instanceof ReviewRequested e) {
            return actor + " requested review of the " + e.stage() + " stage (revision " + e.revision() + ").";
        } else if (data instanceof StageAdvanced e) {
            return "The proposal advanced from " + e.from() + " to " + e.to() + " (" + e.decision() + " by "
                    + e.decidedBy() + (e.override() ? ", overriding its blockers" : "") + ").";
        } else if (data instanceof ProposalWithdrawn e) {
            return actor + " withdrew the proposal: " + e.reason();
        } else if (data instanceof ObjectionRaised e) {
            return actor + " raised " + (e.late() ? "a late objection " : "an objection ") + e.objectionId() + " ("
                    + e.category() + ") on section \"" + e.section() + "\": " + e.rationale();
        } else if (data instanceof ObjectionAnswered e) {
            return actor + " answered objection " + e.objectionId() + ": " + e.text();
        } else if (data instanceof ObjectionReaffirmed e) {
            return actor + " reaffirmed objection " + e.objectionId() + ": " + e.text();
        } else if (data instanceof ObjectionWithdrawn e) {
            return actor + " withdrew objection " + e.objectionId() + ": " + e.text();
        } else if (data instanceof ObjectionOverruled e) {
            return actor + " overruled objection " + e.objectionId() + ": " + e.rationale();
        } else if (data instanceof ObjectionLapsed e) {
            return "Objection " + e.objectionId() + " lapsed: its author did not respond by " + format(e.respondBy()) + ".";
        } else if (data instanceof AckGiven e) {
            return actor + " gave " + e.kind() + " for " + e.component() + " in " + e.stage() + ".";
        } else if (data instanceof AckRetracted e) {
            return actor + " retracted ack " + e.ackId() + ".";
        } else if (data instanceof EligibilityChanged e) {
            String window = e.windowEndsAt() == null ? "" : " The review window ends " + format(e.windowEndsAt()) + ".";
            return (e.eligible() ? "The proposal is eligible to leave " + e.stage() + "."
                    : "The proposal is not eligible to leave " + e.stage() + ": " + e.blockers().size() + " blocker"
                    + (e.blockers().size() == 1 ? "" : "s") + ".") + window;
        } else if (data instanceof DecisionOverdue e) {
            return "The proposal has been eligible to leave " + e.stage() + " since " + format(e.eligibleSince())
                    + " without a decision; overdue since " + format(e.overdueSince()) + ".";
        } else if (data instanceof TransitionDecided e) {
            return e.decidedBy() + " decided " + e.from() + " -> " + e.to() + " (" + e.decision() + "): " + e.rationale();
        } else if (data instanceof PolicyChanged e) {
            return actor + " changed the policy.";
        } else if (data instanceof DeliveryFailed e) {
            return "A " + e.channel() + " delivery of " + e.eventType() + " to " + e.target() + " failed after "
                    + e.attempts() + " attempts.";
        }
        return event.type().typeName() + " by " + actor + ".";
    }

    static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private NoticeText() {
    }
}
