package org.pvlifecycle.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * One scenario's proposals and every command it sent, audited against PostgreSQL at its end.
 * Its proposals are its own, so that what earlier scenarios left behind is not counted.
 */
final class Scenario {
    /** How long the stack may take to settle after a fault before what is missing counts as lost. */
    static final Duration QUIET = Duration.ofSeconds(60);

    final Api api;
    final Ledger ledger;
    private final String name;
    private final long startedAt = System.nanoTime();
    private final List<String> proposals = new ArrayList<>();
    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());

    private Scenario(String name, Stack stack) {
        this.name = name;
        this.api = new Api(stack);
        this.ledger = new Ledger(stack);
    }

    /**
     * Starts whatever an earlier scenario left down, submits {@code count} proposals and waits
     * until every service knows them (reviewers can ack them only then).
     */
    static Scenario begin(String name, Stack stack, int count) {
        stack.ensureRunning();
        Scenario scenario = new Scenario(name, stack);
        for (int i = 0; i < count; i++) {
            String id = "st-" + UUID.randomUUID().toString().substring(0, 8);
            Answer answer = scenario.send(Command.submit(id));
            if (answer.outcome() != Outcome.ACCEPTED) {
                throw new IllegalStateException(name + ": submitting " + id + " failed: " + answer);
            }
            scenario.proposals.add(id);
        }
        Ledger.Snapshot known = scenario.ledger.awaitQuiet(scenario.proposals, QUIET);
        if (known.missingEverywhere() > 0) {
            throw new IllegalStateException(name + ": the new proposals did not reach every consumer in " + QUIET);
        }
        return scenario;
    }

    List<String> proposals() {
        return List.copyOf(proposals);
    }

    /** Sends the command and records it for the audit. */
    Answer send(Command command) {
        Answer answer = api.send(command);
        sent.add(new Sent(command, answer));
        return answer;
    }

    List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    Load startLoad() {
        return Load.start(proposals, this::send);
    }

    /** The load for a while, with no fault: what shows that a part serves again after its restart. */
    void loadFor(Duration duration) {
        Load load = startLoad();
        try {
            Sleep.of(duration);
        } finally {
            load.stop();
        }
    }

    /** Waits until the stack is quiet, counts, prints the scenario's table and returns the audit. */
    Audit finish(Report report) {
        long settling = System.nanoTime();
        Ledger.Snapshot snapshot = ledger.awaitQuiet(proposals, QUIET);
        long now = System.nanoTime();
        Audit audit = Audit.of(name, Duration.ofNanos(now - startedAt), Duration.ofNanos(now - settling), sent(),
                snapshot);
        report.add(audit);
        return audit;
    }
}
