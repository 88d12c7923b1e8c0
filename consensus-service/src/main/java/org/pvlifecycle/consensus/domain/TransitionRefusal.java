package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.decider.CommandRefusal;

import java.util.List;
import java.util.Map;

import static org.pvlifecycle.events.decider.CommandRefusal.Rule.INVALID_REQUEST;
import static org.pvlifecycle.events.decider.CommandRefusal.Rule.NOT_FOUND;
import static org.pvlifecycle.events.decider.CommandRefusal.Rule.byRule;

/**
 * A transition the rules refuse: unknown proposal (404), a rule (409; not eligible carries the
 * blockers), no rationale (422).
 */
public class TransitionRefusal extends CommandRefusal {
    public enum Reason implements CommandRefusal.Reason {
        /** No such proposal. */
        UNKNOWN(NOT_FOUND),
        /** The stage asked for is not the one after the current stage. */
        NOT_NEXT_STAGE(byRule("not-the-next-stage", "Not the next stage")),
        /** The proposal is WITHDRAWN or STABLE. */
        CLOSED(byRule("proposal-closed", "Proposal closed")),
        /** The Czar decided this stage already. */
        ALREADY_DECIDED(byRule("already-decided", "Already decided")),
        /** The proposal is not eligible; the blockers say why. */
        NOT_ELIGIBLE(byRule("not-eligible", "Not eligible")),
        /** Overruling or advancing needs the Czar's rationale. */
        RATIONALE_REQUIRED(INVALID_REQUEST);

        private final Rule rule;

        Reason(Rule rule) {
            this.rule = rule;
        }

        @Override
        public Rule rule() {
            return rule;
        }
    }

    private final List<Blocker> blockers;

    public TransitionRefusal(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public TransitionRefusal(Reason reason, String message, List<Blocker> blockers) {
        super(reason, reason == Reason.RATIONALE_REQUIRED ? "rationale" : null, message);
        this.blockers = List.copyOf(blockers);
    }

    public List<Blocker> blockers() {
        return blockers;
    }

    @Override
    public Reason reason() {
        return (Reason) super.reason();
    }

    @Override
    public Map<String, Object> details() {
        return reason() == Reason.NOT_ELIGIBLE ? Map.of("blockers", blockers) : Map.of();
    }
}
