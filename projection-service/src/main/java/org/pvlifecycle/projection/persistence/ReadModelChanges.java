package org.pvlifecycle.projection.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the read model may have changed since a read of it, as far as this instance can tell:
 * what {@link KeptReads} asks before answering a read again from memory. A read stays current
 * while
 * <ul>
 * <li>no transaction of this instance applying events committed since ({@link #mayHaveChanged},
 * told by the consumer after each commit, and by a replay around its swap), so a read after this
 * instance's commit completed never gets an answer from before it;</li>
 * <li>the streams' tail ({@link EventLogTail}) found no events in the log since, nor failed to
 * read it: what other instances applied shows once the tail has looked (it does at least at every
 * tick of {@code pvl.stream.poll-interval}), before any stream sends it; with the database away,
 * its first failed read ends every kept answer and the reads answer 503 as before;</li>
 * <li>and it is younger than {@code pvl.projection.kept-reads.max-age} (a second), should the
 * tail's read hang (a database that stopped answering without closing its connections).</li>
 * </ul>
 */
@ApplicationScoped
public class ReadModelChanges {
    /** The counts and the time taken just before a read of the database. */
    public record Stamp(long changes, long tailChangesSeen, long nanos) {
    }

    @Inject
    EventLogTail tail;

    @Inject
    KeptReadsConfig config;

    private final AtomicLong changes = new AtomicLong();

    /** Told once a change to the read model has committed: nothing read before is answered again. */
    public void mayHaveChanged() {
        changes.incrementAndGet();
    }

    /** To be taken before a read: a change that lands while it runs makes what it read stale at once. */
    Stamp now() {
        return new Stamp(changes.get(), tail.changesSeen(), System.nanoTime());
    }

    /** Whether what was read after {@code read} was taken may still be answered at {@code now}. */
    boolean current(Stamp read, Stamp now) {
        return read.changes() == now.changes() && read.tailChangesSeen() == now.tailChangesSeen()
                && now.nanos() - read.nanos() < config.maxAge().toNanos();
    }
}
