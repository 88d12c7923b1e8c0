package org.pvlifecycle.notification.domain;

import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.ObjectionOverruled;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionReaffirmed;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.events.paths.PathCoverage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Which notices an event gives rise to, and to whom: pure rules, no I/O. */
public final class Concern {

    /** What the service remembers of a proposal's eligibility between events. */
    public record Memory(Instant windowEndsAt, boolean eligible) {
        public static final Memory NONE = new Memory(null, false);
    }

    /**
     * @param before         the proposal's eligibility as last seen, before this event
     * @param reminderBefore how long before a response deadline its reminder goes out
     */
    public static List<AddressedNotice> of(EventEnvelope<? extends LifecycleEvent> event, Memory before,
            Duration reminderBefore) {
        LifecycleEvent data = event.data();
        Instant now = event.time();
        List<AddressedNotice> notices = new ArrayList<>();
        if (data instanceof ObjectionRaised raised) {
            notices.add(new AddressedNotice(Notice.OBJECTION_RAISED, Audience.OWNER, null, now, raised.objectionId()));
        } else if (data instanceof ObjectionAnswered answered) {
            notices.add(new AddressedNotice(Notice.OBJECTION_ANSWERED, Audience.OBJECTION_AUTHOR, answered.respondBy(),
                    now, answered.objectionId()));
            Instant remindAt = answered.respondBy().minus(reminderBefore);
            // A deadline closer than the reminder's lead gets no reminder: the answer's notice just said it.
            if (remindAt.isAfter(now)) {
                notices.add(new AddressedNotice(Notice.RESPONSE_DUE_SOON, Audience.OBJECTION_AUTHOR,
                        answered.respondBy(), remindAt, answered.objectionId()));
            }
        } else if (data instanceof ObjectionLapsed lapsed) {
            notices.add(new AddressedNotice(Notice.OBJECTION_LAPSED, Audience.OBJECTION_AUTHOR, null, now,
                    lapsed.objectionId()));
        } else if (data instanceof ObjectionOverruled overruled) {
            notices.add(new AddressedNotice(Notice.OBJECTION_OVERRULED, Audience.OBJECTION_AUTHOR, null, now,
                    overruled.objectionId()));
        } else if (data instanceof EligibilityChanged changed) {
            Instant windowEnd = changed.windowEndsAt();
            if (windowEnd != null && windowEnd.isAfter(now) && !Objects.equals(windowEnd, before.windowEndsAt())) {
                notices.add(new AddressedNotice(Notice.WINDOW_OPENED, Audience.REVIEWERS, windowEnd, now, null));
            }
            if (changed.eligible() && !before.eligible()) {
                notices.add(new AddressedNotice(Notice.PROPOSAL_ELIGIBLE, Audience.CZAR, null, now, null));
            }
        } else if (data instanceof DecisionOverdue) {
            notices.add(new AddressedNotice(Notice.DECISION_OVERDUE, Audience.CZAR, null, now, null));
        } else if (data instanceof StageAdvanced) {
            notices.add(new AddressedNotice(Notice.PROPOSAL_ADVANCED, Audience.OWNER, null, now, null));
        }
        return notices;
    }

    /**
     * Whether the notices of this event, or what is remembered after it, depend on what was
     * remembered before it: only an eligibility change compares itself with the last one seen.
     * For any other event the memory is neither read by {@link #of} nor changed by
     * {@link #remember}, so the planner need not fetch it.
     */
    public static boolean readsMemory(LifecycleEvent data) {
        return data instanceof EligibilityChanged;
    }

    /** The proposal's eligibility as remembered after this event. */
    public static Memory remember(Memory before, LifecycleEvent data) {
        if (data instanceof EligibilityChanged changed) {
            return new Memory(changed.windowEndsAt(), changed.eligible());
        }
        return before;
    }

    /** A person whose ack a component waits on, as a policy names them. */
    public record Maintainer(String component, String person) {
    }

    /**
     * Who, besides those who reviewed it, is to hear of a window on a proposal with this
     * component: the people whose ack consensus waits on (docs/rules.md), each component's own
     * maintainers, and THE REST's for a section with none ({@link PathCoverage#ackingMaintainers}).
     * Each pair once; a blank name is nobody.
     */
    public static List<Maintainer> maintainers(PolicyChanged policy) {
        Set<Maintainer> pairs = new LinkedHashSet<>();
        for (Map.Entry<String, List<String>> c : PathCoverage.ackingMaintainers(policy).entrySet()) {
            if (c.getValue() == null) {
                continue;
            }
            for (String person : c.getValue()) {
                if (person != null && !person.isBlank()) {
                    pairs.add(new Maintainer(c.getKey(), person));
                }
            }
        }
        return List.copyOf(pairs);
    }

    /**
     * The objection whose author no longer has to respond, when the event ends the wait (so a
     * pending reminder is cancelled); null otherwise.
     */
    public static String endsWaitFor(LifecycleEvent data) {
        if (data instanceof ObjectionReaffirmed e) {
            return e.objectionId();
        }
        if (data instanceof ObjectionWithdrawn e) {
            return e.objectionId();
        }
        if (data instanceof ObjectionOverruled e) {
            return e.objectionId();
        }
        if (data instanceof ObjectionLapsed e) {
            return e.objectionId();
        }
        return null;
    }

    private Concern() {
    }
}
