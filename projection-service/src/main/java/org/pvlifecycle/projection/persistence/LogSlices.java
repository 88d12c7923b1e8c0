package org.pvlifecycle.projection.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.projection.domain.LoggedEvent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The log read in slices bounded by count and by bytes, for what sends it on as it reads: the
 * streams (their shared tail, and a stream catching up) and the timelines. An event's payload
 * can weigh hundreds of kB (an eligibility change carries every open objection of its proposal),
 * so a slice stops at a number of bytes, summed in the statement from the stored sizes without
 * reading the payloads past the bound.
 */
@ApplicationScoped
public class LogSlices {
    /**
     * Events after a position in log order, as the streams read them: {@code payloadBytes} holds
     * the size of each one's payload; {@code more} says the read stopped at its limit of events or
     * of bytes, not at the end of the log (rarely, it stopped exactly there).
     */
    public record Slice(List<LoggedEvent> events, List<Integer> payloadBytes, boolean more) {
    }

    /**
     * The events after {@code position} in log order: at most {@code limit}, and none past the one
     * that brings their payloads to {@code maxBytes} (so always one, when there is one). The sizes
     * are the stored ones, known without reading the payloads; one past the bound is not read.
     */
    public Uni<Slice> after(long position, int limit, long maxBytes) {
        return slice("position > $1", "position", limit, maxBytes, position);
    }

    /**
     * A slice of a proposal's events in time order, after the event at {@code afterTime} and
     * {@code afterPosition} ({@code afterTime} null: from its first), bounded as {@link #after} is:
     * its timeline, read in slices that the answer sends as they come.
     */
    public Uni<Slice> timeline(String proposalId, Instant afterTime, long afterPosition, int limit, long maxBytes) {
        return afterTime == null
                ? slice("proposal_id = $1", "occurred_at, position", limit, maxBytes, proposalId)
                : slice("proposal_id = $1 and (occurred_at, position) > ($2, $3)", "occurred_at, position", limit,
                        maxBytes, proposalId, afterTime.atOffset(ZoneOffset.UTC), afterPosition);
    }

    /** Whether the log holds any event of the proposal. */
    public Uni<Boolean> hasEvents(String proposalId) {
        return SessionSql.select("select exists (select from event_log where proposal_id = $1)", proposalId)
                .map(rows -> (Boolean) rows.get(0)[0]);
    }

    /**
     * The rows {@code where} selects, in {@code order}: at most {@code limit}, and past the first
     * no more than {@code maxBytes} of payload, summed in the statement from the stored sizes; the
     * statement's last two parameters are those two bounds.
     */
    private Uni<Slice> slice(String where, String order, int limit, long maxBytes, Object... parameters) {
        int n = parameters.length;
        Object[] all = java.util.Arrays.copyOf(parameters, n + 2);
        all[n] = (long) limit;
        all[n + 1] = maxBytes;
        return SessionSql.select("select " + ProjectionRepository.COLUMNS + ", bytes, running from (select " + ProjectionRepository.COLUMNS
                        + ", octet_length(payload) as bytes, sum(octet_length(payload)) over (order by " + order
                        + ") as running from event_log where " + where + " order by " + order + " limit $" + (n + 1)
                        + ") as s where running - bytes < $" + (n + 2) + " order by " + order, all)
                .map(rows -> {
                    List<Integer> sizes = new ArrayList<>(rows.size());
                    for (Object[] row : rows) {
                        sizes.add(((Number) row[10]).intValue());
                    }
                    boolean more = rows.size() == limit
                            || !rows.isEmpty() && ((Number) rows.get(rows.size() - 1)[11]).longValue() >= maxBytes;
                    return new Slice(ProjectionRepository.events(rows), sizes, more);
                });
    }

}
