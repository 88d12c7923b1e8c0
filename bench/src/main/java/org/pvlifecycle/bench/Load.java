package org.pvlifecycle.bench;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Drives one request kind against the stack and measures it: closed loop (a fixed number of
 * connections, each sending as soon as its last answer came) for throughput, or open loop (a
 * fixed offered rate, latency counted from when each request was due, so a stall is not hidden)
 * for latency against load.
 */
final class Load {

    /** One request; answers the HTTP status (0 when no answer came). */
    @FunctionalInterface
    interface Request {
        int send(int worker, long sequence) throws Exception;
    }

    /** What a run measured. */
    record Result(String name, double seconds, long requests, double perSecond, double p50Ms, double p90Ms,
            double p99Ms, double maxMs, Map<String, Long> statuses) {

        long count(String statusClass) {
            return statuses.getOrDefault(statusClass, 0L);
        }
    }

    private Load() {
    }

    static Result closed(String name, int connections, Duration duration, Request request) {
        return closed(name, connections, duration, worker -> request);
    }

    /** {@code connections} workers, each with its own request, for {@code duration}. */
    static Result closed(String name, int connections, Duration duration, IntFunction<Request> perWorker) {
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        Map<String, AtomicLong> statuses = new TreeMap<>();
        AtomicLong sequence = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            int worker = w;
            Request request = perWorker.apply(w);
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    int status = attempt(request, worker, sequence.incrementAndGet());
                    record(latencies, statuses, status, System.nanoTime() - sent);
                }
            }));
        }
        await(workers, pool);
        return result(name, latencies, statuses, System.nanoTime() - started);
    }

    /** {@code perSecond} requests a second for {@code duration}, each timed from when it was due. */
    static Result open(String name, double perSecond, Duration duration, int maxInFlight, Request request) {
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        Map<String, AtomicLong> statuses = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(maxInFlight);
        long started = System.nanoTime();
        long total = Math.round(perSecond * duration.toSeconds());
        long interval = Math.round(1e9 / perSecond);
        List<Future<?>> sent = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            long due = started + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sleepNanos(wait);
            }
            long sequence = i;
            sent.add(pool.submit(() -> {
                int status = attempt(request, (int) (sequence % maxInFlight), sequence);
                record(latencies, statuses, status, System.nanoTime() - due);
            }));
        }
        await(sent, pool);
        return result(name, latencies, statuses, System.nanoTime() - started);
    }

    private static int attempt(Request request, int worker, long sequence) {
        try {
            return request.send(worker, sequence);
        } catch (Exception e) {
            return 0;
        }
    }

    private static void record(Histogram latencies, Map<String, AtomicLong> statuses, int status, long nanos) {
        synchronized (latencies) {
            latencies.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(nanos), latencies.getHighestTrackableValue()));
        }
        String key = status == 0 ? "none" : (status / 100) + "xx" + (status == 409 ? " (409)" : "");
        synchronized (statuses) {
            statuses.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        }
    }

    private static Result result(String name, Histogram h, Map<String, AtomicLong> statuses, long nanos) {
        double seconds = nanos / 1e9;
        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.get()));
        return new Result(name, seconds, h.getTotalCount(), h.getTotalCount() / seconds,
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, counts);
    }

    private static void await(List<Future<?>> futures, ExecutorService pool) {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
