package org.pvlifecycle.projection.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.projection.domain.LoggedEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The logs of the proposals whose summaries were refreshed lately, kept as their fold reads them
 * (parsed, without specs), so that a refresh reads and parses only the events logged since, not a
 * proposal's whole history again: with a thousand events, that was most of the service's work per
 * event.
 *
 * <p>Used only under the proposal's hold ({@link ProjectionRepository#holdProposal}), where every
 * event logged since was logged by a transaction that held it after this one's last refresh, so
 * at a later position. What is kept is checked against the log each time: its count of the
 * proposal's events must equal the kept ones plus the newer ones, else the whole log is read
 * again. That covers a refresh whose transaction rolled back after its events were kept, and a
 * log rebuilt by a replay.
 */
@ApplicationScoped
public class ProposalLogs {
    private static final Comparator<LoggedEvent> LOG_ORDER = Comparator.comparing(LoggedEvent::time)
            .thenComparingLong(LoggedEvent::position);

    @Inject
    ProjectionRepository repository;

    @Inject
    KeptLogsConfig config;

    private record Kept(List<LoggedEvent> events, long lastPosition) {
    }

    /** Least recently refreshed first. */
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>(64, 0.75f, true);
    private long keptEvents;

    /** The proposal's whole log in time order, as {@link ProjectionRepository#foldable} reads it. */
    public Uni<List<LoggedEvent>> current(String proposalId) {
        Kept known = get(proposalId);
        if (known == null) {
            return readWhole(proposalId);
        }
        return repository.foldableAfter(proposalId, known.lastPosition()).flatMap(newer -> {
            if (newer.total() != known.events().size() + newer.events().size()) {
                return readWhole(proposalId);
            }
            if (newer.events().isEmpty()) {
                return Uni.createFrom().item(known.events());
            }
            List<LoggedEvent> merged = new ArrayList<>(known.events().size() + newer.events().size());
            merged.addAll(known.events());
            merged.addAll(newer.events());
            merged.sort(LOG_ORDER);
            List<LoggedEvent> log = List.copyOf(merged);
            put(proposalId, log);
            return Uni.createFrom().item(log);
        });
    }

    private Uni<List<LoggedEvent>> readWhole(String proposalId) {
        return repository.foldable(proposalId, null).invoke(log -> put(proposalId, List.copyOf(log)));
    }

    private synchronized Kept get(String proposalId) {
        return kept.get(proposalId);
    }

    private synchronized void put(String proposalId, List<LoggedEvent> log) {
        Kept before = kept.remove(proposalId);
        if (before != null) {
            keptEvents -= before.events().size();
        }
        int maxEvents = config.maxEvents();
        if (log.isEmpty() || log.size() > maxEvents) {
            return;
        }
        long last = log.stream().mapToLong(LoggedEvent::position).max().orElse(0);
        kept.put(proposalId, new Kept(log, last));
        keptEvents += log.size();
        Iterator<Map.Entry<String, Kept>> oldest = kept.entrySet().iterator();
        while (keptEvents > maxEvents && oldest.hasNext()) {
            keptEvents -= oldest.next().getValue().events().size();
            oldest.remove();
        }
    }
}
