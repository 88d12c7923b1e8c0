package org.pvlifecycle.projection.domain;

import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.AckRetracted;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EvidenceRecorded;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.ObjectionOverruled;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.ProposalWithdrawn;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.events.TransitionDecided;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.pvlifecycle.events.Source;
import java.util.Map;
import java.util.Objects;

/**
 * The full read-side view of one proposal, folded from every service's events about it, in log
 * order. Folding a prefix of the log gives the view as it was then ({@code asOf}).
 *
 * <p>{@code eligibility} is the last answer consensus announced, its {@code decisionOverdueSince}
 * brought up to date by the events after it: set by a {@code decision-overdue} about it, cleared
 * by a decision, a stage change or a withdrawal.
 */
public record ProposalHistory(
        String id,
        String title,
        String summary,
        String owner,
        List<String> components,
        Stage stage,
        Instant stageEnteredAt,
        List<StageChange> stageHistory,
        List<Revision> revisions,
        List<EvidenceRecorded> evidence,
        List<Objection> objections,
        List<Ack> acks,
        EligibilityChanged eligibility) {

    public record StageChange(Stage from, Stage to, Instant at, DecisionKind decision, String decidedBy,
            boolean override, String rationale) {
    }

    public record Revision(int revision, Instant at, String note, List<String> warnings, List<String> missingSections) {
        /**
         * Most revisions have neither warnings nor missing sections: each such list read from an
         * event is an empty list of its own, two per revision, and a kept fold holds thousands of
         * revisions. They share the one empty list instead.
         */
        public Revision {
            warnings = warnings != null && warnings.isEmpty() ? List.of() : warnings;
            missingSections = missingSections != null && missingSections.isEmpty() ? List.of() : missingSections;
        }
    }

    /** One step of an objection's thread; {@code source} names the list message it came by, if any. */
    public record Entry(String kind, String author, Instant at, String text,
            Source source) {
    }

    /** An objection and its thread; {@code source} names the list message that raised it, if one did. */
    public record Objection(String objectionId, String author, Stage stage, ObjectionCategory category, String section,
            String rationale, boolean late, String status, Instant respondBy, List<Entry> thread,
            Source source) {
        public boolean isOpen() {
            return status.equals("OPEN") || status.equals("ANSWERED") || status.equals("REAFFIRMED");
        }
    }

    /** An ack; {@code source} names the list message (its {@code Acked-by:} line) it came by, if one did. */
    public record Ack(String ackId, String author, AckKind kind, String component, Stage stage, Instant givenAt,
            boolean retracted, Source source) {
    }

    /** Null when the log holds no submission of the proposal. */
    public static ProposalHistory fold(List<LoggedEvent> events) {
        return fold(null, events);
    }

    /**
     * The view after {@code before} and then {@code events}: what folding the log that gave
     * {@code before} and then these events answers, without folding that log again. A view holds
     * all of its fold's state once the submission is in it, so it can be folded on from;
     * {@code before} null starts from nothing, as {@link #fold(List)} does.
     */
    public static ProposalHistory fold(ProposalHistory before, List<LoggedEvent> events) {
        Builder b = before == null ? new Builder() : Builder.from(before);
        for (LoggedEvent e : events) {
            b.apply(e);
        }
        return b.id == null ? null : b.build();
    }

    private static final class Builder {
        String id;
        String title;
        String summary;
        String owner;
        List<String> components = List.of();
        Stage stage;
        Instant stageEnteredAt;
        final List<StageChange> stages = new ArrayList<>();
        final List<Revision> revisions = new ArrayList<>();
        final List<EvidenceRecorded> evidence = new ArrayList<>();
        final Map<String, Objection> objections = new LinkedHashMap<>();
        final Map<String, Ack> acks = new LinkedHashMap<>();
        EligibilityChanged eligibility;

        static Builder from(ProposalHistory h) {
            Builder b = new Builder();
            b.id = h.id();
            b.title = h.title();
            b.summary = h.summary();
            b.owner = h.owner();
            b.components = h.components();
            b.stage = h.stage();
            b.stageEnteredAt = h.stageEnteredAt();
            b.stages.addAll(h.stageHistory());
            b.revisions.addAll(h.revisions());
            b.evidence.addAll(h.evidence());
            h.objections().forEach(o -> b.objections.put(o.objectionId(), o));
            h.acks().forEach(a -> b.acks.put(a.ackId(), a));
            b.eligibility = h.eligibility();
            return b;
        }

        void apply(LoggedEvent e) {
            var data = e.data();
            if (data instanceof ProposalSubmitted s) {
                id = s.proposalId();
                title = s.title();
                summary = s.summary();
                owner = s.owner();
                components = s.components();
                stage = Stage.DESIGN;
                stageEnteredAt = e.time();
                stages.add(new StageChange(null, Stage.DESIGN, e.time(), null, s.owner(), false, null));
                revisions.add(new Revision(s.revision(), e.time(), null, s.warnings(), s.missingSections()));
            } else if (data instanceof ProposalRevised r) {
                revisions.add(new Revision(r.revision(), e.time(), r.note(), r.warnings(), r.missingSections()));
            } else if (data instanceof EvidenceRecorded ev) {
                evidence.add(ev);
            } else if (data instanceof StageAdvanced a) {
                stages.add(new StageChange(a.from(), a.to(), e.time(), a.decision(), a.decidedBy(), a.override(),
                        a.rationale()));
                stage = a.to();
                stageEnteredAt = e.time();
                eligibility = overdueSince(eligibility, null);
            } else if (data instanceof ProposalWithdrawn w) {
                stages.add(new StageChange(w.fromStage(), Stage.WITHDRAWN, e.time(), null, e.actor(), false, w.reason()));
                stage = Stage.WITHDRAWN;
                stageEnteredAt = e.time();
                eligibility = overdueSince(eligibility, null);
            } else if (data instanceof ObjectionRaised o) {
                objections.put(o.objectionId(), new Objection(o.objectionId(), e.actor(), o.stage(), o.category(),
                        o.section(), o.rationale(), o.late(), "OPEN", null,
                        List.of(new Entry("RAISED", e.actor(), e.time(), o.rationale(), o.source())), o.source()));
            } else if (data instanceof ObjectionAnswered a) {
                step(a.objectionId(), "ANSWERED", a.respondBy(), new Entry("ANSWERED", e.actor(), e.time(), a.text(), a.source()));
            } else if (data instanceof ObjectionReaffirmed r) {
                step(r.objectionId(), "REAFFIRMED", null, new Entry("REAFFIRMED", e.actor(), e.time(), r.text(), r.source()));
            } else if (data instanceof ObjectionWithdrawn w) {
                step(w.objectionId(), "WITHDRAWN", null, new Entry("WITHDRAWN", e.actor(), e.time(), w.text(), w.source()));
            } else if (data instanceof ObjectionOverruled o) {
                step(o.objectionId(), "OVERRULED", null, new Entry("OVERRULED", e.actor(), e.time(), o.rationale(), null));
            } else if (data instanceof ObjectionLapsed l) {
                Objection o = objections.get(l.objectionId());
                step(l.objectionId(), "LAPSED", o == null ? null : o.respondBy(),
                        new Entry("LAPSED", e.actor(), e.time(), "No response by " + l.respondBy(), null));
            } else if (data instanceof AckGiven a) {
                acks.put(a.ackId(), new Ack(a.ackId(), e.actor(), a.kind(), a.component(), a.stage(), e.time(), false, a.source()));
            } else if (data instanceof AckRetracted r) {
                Ack a = acks.get(r.ackId());
                if (a != null) {
                    acks.put(a.ackId(), new Ack(a.ackId(), a.author(), a.kind(), a.component(), a.stage(), a.givenAt(), true, a.source()));
                }
            } else if (data instanceof EligibilityChanged c) {
                eligibility = c;
            } else if (data instanceof DecisionOverdue d) {
                // Consensus announces an overdue decision with this notice alone: no
                // eligibility-changed follows it, since neither the eligible flag, nor the
                // blockers, nor the window's end changed. It marks the eligible answer it is about.
                if (eligibility != null && eligibility.eligible() && eligibility.stage() == d.stage()) {
                    eligibility = overdueSince(eligibility, d.overdueSince());
                }
            } else if (data instanceof TransitionDecided) {
                // Decided: nothing is overdue any more, though the proposal service has yet to
                // advance the proposal (and consensus announces no new answer meanwhile).
                eligibility = overdueSince(eligibility, null);
            }
        }

        /**
         * {@code answer} with its decision overdue since {@code since} (null: not overdue). The
         * view keeps the last answer announced, with this one field brought up to date, so
         * that every fold (on from a kept view, of the whole log, as of an instant) answers the
         * same from the last eligibility-changed and the events after it alone.
         */
        private static EligibilityChanged overdueSince(EligibilityChanged answer, Instant since) {
            if (answer == null || Objects.equals(answer.decisionOverdueSince(), since)) {
                return answer;
            }
            return new EligibilityChanged(answer.proposalId(), answer.stage(), answer.eligible(), answer.blockers(),
                    answer.windowEndsAt(), answer.nextDeadline(), since, answer.policyVersion());
        }

        void step(String objectionId, String status, Instant respondBy, Entry entry) {
            Objection o = objections.get(objectionId);
            if (o == null) {
                return;
            }
            List<Entry> thread = new ArrayList<>(o.thread());
            thread.add(entry);
            objections.put(objectionId, new Objection(o.objectionId(), o.author(), o.stage(), o.category(), o.section(),
                    o.rationale(), o.late(), status, respondBy, List.copyOf(thread), o.source()));
        }

        ProposalHistory build() {
            return new ProposalHistory(id, title, summary, owner, components, stage, stageEnteredAt, List.copyOf(stages),
                    List.copyOf(revisions), List.copyOf(evidence), List.copyOf(objections.values()),
                    List.copyOf(acks.values()), eligibility);
        }
    }

    /** The objections the events describe, whether or not the submission is among them. */
    public static List<Objection> objectionsOf(List<LoggedEvent> events) {
        Builder b = new Builder();
        for (LoggedEvent e : events) {
            b.apply(e);
        }
        return List.copyOf(b.objections.values());
    }

    /** Live (not retracted) acks. */
    public long liveAcks() {
        return acks.stream().filter(a -> !a.retracted()).count();
    }

    public long openObjections() {
        return objections.stream().filter(Objection::isOpen).count();
    }
}
