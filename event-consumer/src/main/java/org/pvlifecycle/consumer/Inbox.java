package org.pvlifecycle.consumer;

import org.pvlifecycle.eventstore.SessionSql;

import io.smallrye.mutiny.Uni;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One consumer of one topic: the channel it reads through, the topic, and what an event does to
 * this service's state. Its inbox rows (each consumer applies each event once) and its dead
 * letters carry the name {@code <quarkus.application.name>.<channel>}, which is also the channel's
 * consumer group by convention. The live {@code @Incoming} method and a re-drive of a dead letter
 * both go through it.
 *
 * @param effects runs inside the transaction that writes the inbox rows, with the events that are
 *        new to this consumer, in order: a batch's, or the one event of a single record or a
 *        re-drive. Most inboxes give an effect per event ({@link #Inbox(String, String, Function)}),
 *        run for each in turn, each seeing what the ones before it wrote; one that can do a
 *        batch's work in fewer statements takes the whole list ({@link #ofBatches})
 * @param lockAhead runs once before the effects of a transaction, with the ids of the proposals
 *        they concern, sorted (a batch's, or the one event's of a single record or a re-drive): an
 *        effect that needs its proposal locked has the lock taken here, with every lock the batch
 *        will take, in an order every batch shares, so that two channels' batches do not each hold
 *        a lock the other waits for (PostgreSQL would end one of them as a deadlock, and its batch
 *        would go record by record). The effects need not take it again
 * @param finish runs once after the effects of a transaction, in it, with the events it applied
 *        (a batch's new events in order, or the one event of a single record or a re-drive): work
 *        that depends on the whole of a proposal rather than on one event, such as refreshing a
 *        view of it, is done once per proposal instead of once per event
 * @param committed runs after each transaction that applied new events has committed (a batch's,
 *        a single record's or a re-drive's), before the records are acknowledged: for what this
 *        instance keeps in memory from the state those events changed
 * @param takes the types of event this consumer has something to do with. A record of another type
 *        is acknowledged unread: no parsing, no transaction, no inbox row. Most of a topic's
 *        records concern a few of its consumers only (a revision, say, is nothing to the review
 *        service), and each record read, checked against its schema and claimed in the inbox cost
 *        every consumer of the topic CPU and a row, for nothing
 * @param concerns whether an event of a type it takes has anything to do here, read from the event
 *        alone (never from this service's state): one that has not is acknowledged as a type not
 *        taken is, after its reading but without a transaction or an inbox row. A revision that
 *        leaves a proposal's paths as they were is nothing to the mail service, though other
 *        revisions are
 * @param entities whether the effects work with Hibernate Reactive entities. Then the transaction
 *        is a Hibernate Reactive session's, and the entities' reads and writes are in it; else it
 *        is a plain one on the pool ({@link SessionSql#inTransaction}), which costs a few plain
 *        statements far less CPU than a session does. An effect that used entities in a plain
 *        transaction would find no session, and fail. Only a service whose build has Hibernate
 *        Reactive (the review service) can have such an inbox: elsewhere
 *        {@link #withEntities} refuses, so the service fails as it starts
 */
public record Inbox(String channel, String topic, Function<List<EventEnvelope<LifecycleEvent>>, Uni<Void>> effects,
        Function<List<String>, Uni<Void>> lockAhead, Function<List<EventEnvelope<LifecycleEvent>>, Uni<Void>> finish,
        Runnable committed, Set<EventType> takes, Predicate<EventEnvelope<LifecycleEvent>> concerns,
        boolean entities) {

    public Inbox {
        EnumSet<EventType> types = EnumSet.noneOf(EventType.class);
        types.addAll(takes);
        takes = Collections.unmodifiableSet(types);
    }

    /**
     * An inbox whose {@code effect} applies one event, run for each new event in turn; it takes no
     * lock ahead and has nothing to finish.
     */
    public Inbox(String channel, String topic, Function<EventEnvelope<LifecycleEvent>, Uni<Void>> effect) {
        this(channel, topic, events -> eachInOrder(effect, events, 0), proposals -> Uni.createFrom().voidItem(),
                events -> Uni.createFrom().voidItem(), () -> {
                }, EnumSet.allOf(EventType.class), event -> true, false);
    }

    /**
     * An inbox that takes the types {@code routes} has an effect for, and of those the events it
     * has one for ({@link EventRoutes#concerns}), each event through its type's effect, in turn; it
     * takes no lock ahead and has nothing to finish.
     *
     * @throws IllegalArgumentException when a routed type is published on another topic: its
     *         effect would never run
     */
    public static Inbox routed(String channel, String topic, EventRoutes routes) {
        for (EventType type : routes.types()) {
            if (!type.topic().equals(topic)) {
                throw new IllegalArgumentException(type.typeName() + " is published on " + type.topic()
                        + ", not on " + topic + " that " + channel + " reads");
            }
        }
        return new Inbox(channel, topic, events -> eachInOrder(routes::apply, events, 0),
                proposals -> Uni.createFrom().voidItem(), events -> Uni.createFrom().voidItem(), () -> {
                }, routes.types(), routes::concerns, false);
    }

    /** An inbox whose {@code effects} apply all the new events of a transaction at once, in order. */
    public static Inbox ofBatches(String channel, String topic,
            Function<List<EventEnvelope<LifecycleEvent>>, Uni<Void>> effects) {
        return new Inbox(channel, topic, effects, proposals -> Uni.createFrom().voidItem(),
                events -> Uni.createFrom().voidItem(), () -> {
                }, EnumSet.allOf(EventType.class), event -> true, false);
    }

    private static Uni<Void> eachInOrder(Function<EventEnvelope<LifecycleEvent>, Uni<Void>> effect,
            List<EventEnvelope<LifecycleEvent>> events, int index) {
        if (index == events.size()) {
            return Uni.createFrom().voidItem();
        }
        return effect.apply(events.get(index)).flatMap(v -> eachInOrder(effect, events, index + 1));
    }

    /**
     * Whether {@code event} is to be applied here: what {@link #concerns} says, or true when it
     * cannot say (it threw). A condition only spares the effects work they would not do; when it
     * fails, the effect decides, and an event the effect cannot apply either takes the path of
     * every failed event (retries, then the dead-letter topic) instead of leaving its whole batch
     * unacknowledged.
     */
    public boolean concernedWith(EventEnvelope<LifecycleEvent> event) {
        try {
            return concerns.test(event);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** This inbox, taking {@code lockAhead}'s locks before the effects of each transaction. */
    public Inbox lockingAhead(Function<List<String>, Uni<Void>> lockAhead) {
        return new Inbox(channel, topic, effects, lockAhead, finish, committed, takes, concerns, entities);
    }

    /** This inbox, running {@code finish} after the effects of each transaction. */
    public Inbox finishing(Function<List<EventEnvelope<LifecycleEvent>>, Uni<Void>> finish) {
        return new Inbox(channel, topic, effects, lockAhead, finish, committed, takes, concerns, entities);
    }

    /** This inbox, running {@code committed} once each transaction that applied new events has committed. */
    public Inbox onCommitted(Runnable committed) {
        return new Inbox(channel, topic, effects, lockAhead, finish, committed, takes, concerns, entities);
    }

    /** This inbox, its effects in a Hibernate Reactive session's transaction; see {@link #entities}. */
    public Inbox withEntities() {
        if (!SessionSql.hasEntities()) {
            throw new IllegalStateException("the inbox of " + channel + " works with entities, but this service's "
                    + "build has no Hibernate Reactive (io.quarkus:quarkus-hibernate-reactive-panache)");
        }
        return new Inbox(channel, topic, effects, lockAhead, finish, committed, takes, concerns, true);
    }

    /** This inbox, applying only the events read for which {@code concerns} holds; see {@link #concerns}. */
    public Inbox concerning(Predicate<EventEnvelope<LifecycleEvent>> concerns) {
        return new Inbox(channel, topic, effects, lockAhead, finish, committed, takes, concerns, entities);
    }

    /** This inbox, taking only events of {@code types}; see {@link #takes}. */
    public Inbox taking(Set<EventType> types) {
        return new Inbox(channel, topic, effects, lockAhead, finish, committed, types, concerns, entities);
    }

    /**
     * Whether a record whose CloudEvents type is {@code typeName} is to be read. One of an unknown
     * type, or of none, is read all the same: its reading fails, and it is dead-lettered as unreadable.
     */
    public boolean takes(String typeName) {
        return EventType.byName(typeName).map(takes::contains).orElse(true);
    }

    /** The name this inbox's rows and dead letters carry in {@code application}. */
    public String consumer(String application) {
        return application + "." + channel;
    }

    /**
     * Whether {@code name} is what this inbox was called before names were derived: the
     * application's name cut short ({@code projection.proposal-events} in {@code projection-service}).
     * Dead letters written then still carry it.
     */
    boolean formerlyNamed(String name, String application) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && name.substring(dot + 1).equals(channel) && application.startsWith(name.substring(0, dot));
    }
}
