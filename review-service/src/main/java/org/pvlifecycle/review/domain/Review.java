package org.pvlifecycle.review.domain;

import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.events.Stage;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The review of one proposal: its objections and acks, folded from the review service's own
 * events. One aggregate per proposal, so the events of a proposal stay in one ordered stream.
 */
public record Review(String proposalId, Map<String, Objection> objections, Map<String, Ack> acks) {

    public static Review empty(String proposalId) {
        return new Review(proposalId, Map.of(), Map.of());
    }

    /** One step of an objection's thread: who, when, what kind of step, and the text. */
    public record Entry(String kind, String author, Instant at, String text) {
    }

    public record Objection(
            String objectionId,
            String author,
            Stage stage,
            ObjectionCategory category,
            String section,
            String rationale,
            boolean late,
            ObjectionStatus status,
            Instant raisedAt,
            Instant respondBy,
            List<Entry> thread,
            Set<String> messageIds) {

        Objection with(ObjectionStatus newStatus, Instant newRespondBy, Entry entry) {
            return with(newStatus, newRespondBy, entry, null);
        }

        /** The objection after one more step; {@code source} is the list message that caused it, if any. */
        Objection with(ObjectionStatus newStatus, Instant newRespondBy, Entry entry, Source source) {
            List<Entry> longer = new java.util.ArrayList<>(thread);
            longer.add(entry);
            return new Objection(objectionId, author, stage, category, section, rationale, late, newStatus, raisedAt,
                    newRespondBy, List.copyOf(longer), withMessage(messageIds, source));
        }

        /**
         * Whether the list message {@code source} names raised this objection or took one of its
         * steps: the mail gateway sends a message's action again when it cannot know whether the
         * first attempt was applied, and that must not act twice.
         */
        public boolean causedBy(Source source) {
            return source != null && messageIds.contains(source.messageId());
        }

        /** docs/rules.md: live objections block, late ones only when the policy says so. */
        public boolean blocking(boolean lateObjectionsBlock) {
            return status.isLive() && (!late || lateObjectionsBlock);
        }
    }

    public record Ack(String ackId, String author, AckKind kind, String component, Stage stage, boolean live,
            Instant givenAt) {
    }

    /** The messages that caused an objection's steps, with one more. */
    static Set<String> withMessage(Set<String> messageIds, Source source) {
        if (source == null) {
            return messageIds;
        }
        Set<String> more = new LinkedHashSet<>(messageIds);
        more.add(source.messageId());
        return Set.copyOf(more);
    }

    /**
     * The objection {@code actor} raised on {@code section} in {@code category} with the list
     * message {@code source}, if there is one. The section and category count too: one message may
     * raise objections to several parts of the spec.
     */
    public Optional<Objection> raisedBy(String actor, Source source, ObjectionCategory category, String section) {
        return source == null ? Optional.empty() : objections.values().stream()
                .filter(o -> o.author().equals(actor) && o.causedBy(source) && o.category() == category
                        && o.section().equals(section))
                .findFirst();
    }

    public Optional<Objection> objection(String objectionId) {
        return Optional.ofNullable(objections.get(objectionId));
    }

    /** The live ack of this author, kind and component in this stage, if there is one. */
    public Optional<Ack> liveAck(String author, AckKind kind, String component, Stage stage) {
        return acks.values().stream().filter(a -> a.live() && a.author().equals(author) && a.kind() == kind
                && a.component().equals(component) && a.stage() == stage).findFirst();
    }

    Review withObjection(Objection objection) {
        Map<String, Objection> copy = new LinkedHashMap<>(objections);
        copy.put(objection.objectionId(), objection);
        return new Review(proposalId, copy, acks);
    }

    Review withAck(Ack ack) {
        Map<String, Ack> copy = new LinkedHashMap<>(acks);
        copy.put(ack.ackId(), ack);
        return new Review(proposalId, objections, copy);
    }
}
