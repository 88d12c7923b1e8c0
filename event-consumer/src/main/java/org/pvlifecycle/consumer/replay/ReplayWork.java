package org.pvlifecycle.consumer.replay;

/**
 * What a service rebuilds from the topics read from the start (its read models, who is concerned
 * by what). The {@link ReplayJob} runs it on a thread of its own, one at a time, and keeps its
 * status for {@code GET /admin/replay}.
 */
public interface ReplayWork {

    /** Runs the whole replay; blocking is fine here. A failure ends the replay as FAILED with its message. */
    void replay(Progress progress) throws Exception;

    /** What the replay has done so far, for its status. */
    interface Progress {
        /** Events read from the topics so far, and how many of them could not be read. */
        void read(long eventsRead, long unreadable);

        /** A count of the service's own (e.g. {@code eventsAdded}, {@code proposalsRebuilt}). */
        void count(String name, long value);
    }
}
