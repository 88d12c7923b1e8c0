package org.pvlifecycle.systemtests;

import org.pvlifecycle.events.EventType;

import java.util.UUID;

/**
 * A command a user sends, with what finds its event in the owning service's store: a revision by
 * its unique note, an ack or an objection by its reviewer (each one a new person), a submission
 * by its proposal id.
 */
record Command(Kind kind, String proposalId, String marker) {

    enum Kind {
        SUBMIT(EventType.PROPOSAL_SUBMITTED),
        REVISE(EventType.PROPOSAL_REVISED),
        ACK(EventType.ACK_GIVEN),
        OBJECT(EventType.OBJECTION_RAISED);

        final EventType event;

        Kind(EventType event) {
            this.event = event;
        }
    }

    static Command submit(String proposalId) {
        return new Command(Kind.SUBMIT, proposalId, proposalId);
    }

    static Command revise(String proposalId) {
        return new Command(Kind.REVISE, proposalId, "revision " + UUID.randomUUID());
    }

    static Command ack(String proposalId) {
        return new Command(Kind.ACK, proposalId, "acker-" + UUID.randomUUID().toString().substring(0, 12));
    }

    static Command object(String proposalId) {
        return new Command(Kind.OBJECT, proposalId, "objector-" + UUID.randomUUID().toString().substring(0, 12));
    }

    /** True when {@code event} is the one this command appends. */
    boolean appended(Ledger.StoredEvent event) {
        if (!event.type().equals(kind.event.typeName()) || !event.aggregateId().equals(proposalId)) {
            return false;
        }
        return switch (kind) {
            case SUBMIT -> true;
            case REVISE -> marker.equals(event.note());
            case ACK, OBJECT -> marker.equals(event.actor());
        };
    }
}
