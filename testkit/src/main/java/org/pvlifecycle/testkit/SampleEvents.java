package org.pvlifecycle.testkit;

import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.Stage;

import java.util.UUID;

/** Events for tests of the event store and the consumers, where what they say does not matter. */
public final class SampleEvents {
    private SampleEvents() {
    }

    /** A proposal id no other test uses. */
    public static String newProposal() {
        return "p-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A blocking ABI objection on {@code proposal} with a fresh objection id. */
    public static ObjectionRaised objection(String proposal) {
        return new ObjectionRaised(proposal, UUID.randomUUID().toString(), Stage.DESIGN, ObjectionCategory.ABI,
                "ABI", "The request id is 32 bits wide but the ring can hold more entries.", false);
    }
}
