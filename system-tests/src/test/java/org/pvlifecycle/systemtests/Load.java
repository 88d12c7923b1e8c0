package org.pvlifecycle.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A bounded stream of real commands on some proposals: half revisions, a quarter acks, a quarter
 * objections (each changes the proposal's blockers, so the consensus service answers with an
 * {@code eligibility-changed} event that four services consume). A few client threads, each
 * paced to its share of the rate; it stops at {@link #stop()}, after {@code atMost}, or after
 * {@code maxRequests}, whichever comes first.
 */
final class Load {
    /** Modest on purpose: two cores run seven JVMs, and the faults are what is under test. */
    static final int THREADS = 3;
    static final int PER_SECOND = 20;
    static final Duration AT_MOST = Duration.ofSeconds(90);
    static final int MAX_REQUESTS = 3000;

    private final List<String> proposals;
    private final Function<Command, Answer> send;
    private final AtomicInteger issued = new AtomicInteger();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running = true;
    private final long deadline = System.nanoTime() + AT_MOST.toNanos();

    private Load(List<String> proposals, Function<Command, Answer> send) {
        this.proposals = List.copyOf(proposals);
        this.send = send;
    }

    /** Starts the clients, which send each command through {@code send} (which records it). */
    static Load start(List<String> proposals, Function<Command, Answer> send) {
        Load load = new Load(proposals, send);
        for (int i = 0; i < THREADS; i++) {
            Thread client = new Thread(load::run, "load-client-" + i);
            client.setDaemon(true);
            load.clients.add(client);
            client.start();
        }
        return load;
    }

    /** Stops the clients and waits for the requests in flight. */
    void stop() {
        running = false;
        for (Thread client : clients) {
            try {
                client.join(Api.REQUEST_TIMEOUT.plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void run() {
        long interval = TimeUnit.SECONDS.toNanos(1) * THREADS / PER_SECOND;
        long next = System.nanoTime();
        while (running && System.nanoTime() < deadline && issued.incrementAndGet() <= MAX_REQUESTS) {
            send.apply(next());
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Sleep.millis(TimeUnit.NANOSECONDS.toMillis(wait));
            } else {
                // Behind (a slow answer): do not burst to catch up.
                next = System.nanoTime();
            }
        }
    }

    private Command next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String proposal = proposals.get(random.nextInt(proposals.size()));
        int dice = random.nextInt(4);
        return dice < 2 ? Command.revise(proposal) : dice == 2 ? Command.ack(proposal) : Command.object(proposal);
    }
}
