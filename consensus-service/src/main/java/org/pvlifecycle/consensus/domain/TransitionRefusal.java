package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.decider.CommandRefusal;

import java.util.List;
import java.util.Map;

import static org.pvlifecycle.events.decider.CommandRefusal.Kind.NOT_FOUND;
import static org.pvlifecycle.events.decider.CommandRefusal.Kind.RULE;

/** A transition the rules refuse: unknown proposal (404), a rule (409; not eligible carries the blockers), no rationale (422). */
public class TransitionRefusal extends CommandRefusal {
    public enum Reason implements CommandRefusal.Reason {
        /** No such proposal. */
        UNKNOWN(NOT_FOUND, "not-found", "Not found"),
        /** The stage asked for is not the one after the current stage. */
        NOT_NEXT_STAGE(RULE, "not-the-next-stage", "Not the next stage"),
        /** The proposal is WITHDRAWN or STABLE. */
        CLOSED(RULE, "proposal-closed", "Proposal closed"),
        /** The Czar decided this stage already. */
        ALREADY_DECIDED(RULE, "already-decided", "Already decided"),
        /** The proposal is not eligible; the blockers say why. */
        NOT_ELIGIBLE(RULE, "not-eligible", "Not eligible"),
        /** Overruling or advancing needs the Czar's rationale. */
        RATIONALE_REQUIRED(CommandRefusal.Kind.INVALID, "invalid-request", "Invalid request");

        private final Kind kind;
        private final String type;
        private final String title;

        Reason(Kind kind, String type, String title) {
            this.kind = kind;
            this.type = type;
            this.title = title;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String title() {
            return title;
        }
    }

    private final Reason reason;

    private final List<Blocker> blockers;

    public TransitionRefusal(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public TransitionRefusal(Reason reason, String message, List<Blocker> blockers) {
        super(reason == Reason.RATIONALE_REQUIRED ? "rationale" : null, message);
        this.reason = reason;
        this.blockers = List.copyOf(blockers);
    }

    public List<Blocker> blockers() {
        return blockers;
    }

    @Override
    public Map<String, Object> details() {
        return reason == Reason.NOT_ELIGIBLE ? Map.of("blockers", blockers) : Map.of();
    }

    @Override
    public Reason reason() {
        return reason;
    }
}
