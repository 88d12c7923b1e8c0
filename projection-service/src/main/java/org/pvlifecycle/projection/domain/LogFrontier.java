package org.pvlifecycle.projection.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How far the projection's log can be streamed without skipping an event. Positions are handed
 * out when a row is inserted, but transactions commit in their own order: position 41 may become
 * visible after 42. A reader that moved past 42 would never see 41. So the stream only goes up to
 * the last position before the first hole, and waits for the hole to fill. A hole can also be
 * permanent (a position taken by an insert that rolled back, or by a duplicate that was not
 * inserted), so one still open after {@code patience} is taken as such and passed.
 *
 * @param upTo every position up to this one is either read or known never to come
 * @param holeSeenAt when the hole just after {@code upTo} was first seen; {@code null} when there is none
 */
public record LogFrontier(long upTo, Instant holeSeenAt) {

    public static LogFrontier at(long position) {
        return new LogFrontier(position, null);
    }

    /**
     * The frontier after reading {@code positions} (ascending, each above {@code upTo}) at {@code now}.
     */
    public LogFrontier advance(List<Long> positions, Instant now, Duration patience) {
        long reached = upTo;
        Instant hole = holeSeenAt;
        for (long position : positions) {
            if (position <= reached) {
                continue;
            }
            if (position != reached + 1) {
                if (hole == null) {
                    hole = now;
                }
                if (Duration.between(hole, now).compareTo(patience) < 0) {
                    break;
                }
            }
            reached = position;
            hole = null;
        }
        return new LogFrontier(reached, hole);
    }
}
