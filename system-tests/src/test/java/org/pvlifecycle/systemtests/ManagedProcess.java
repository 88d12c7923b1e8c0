package org.pvlifecycle.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of the stack: its command, environment and log file. It can be killed and started
 * again with the same command; each run appends to the same log, after a line that marks it.
 */
final class ManagedProcess {
    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;
    /** Where the current run's output begins in the log, so that waiting for a line ignores earlier runs. */
    private long runStartsAt;

    ManagedProcess(String name, List<String> command, Map<String, String> environment, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        try {
            Files.writeString(log, "=== " + name + " started by the system tests at " + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            runStartsAt = Files.size(log);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // Settings are environment variables: none of the test JVM's own may reach the stack.
            builder.environment().keySet().removeIf(key -> key.startsWith("QUARKUS_") || key.startsWith("KAFKA_")
                    || key.startsWith("MP_") || key.startsWith("PVL_"));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    synchronized long pid() {
        return process.pid();
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no clean close of connections or files. */
    synchronized void kill9() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }

    /** Asks the process to stop (SIGTERM); it is killed if it has not stopped after {@code grace}. */
    synchronized void stop(Duration grace) {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!awaitExit(grace)) {
                kill9();
            }
        }
    }

    /** Sends SIGTERM without waiting, so that several processes stop side by side. */
    synchronized void requestStop() {
        if (process != null) {
            process.destroy();
        }
    }

    synchronized boolean awaitExit(Duration timeout) {
        try {
            return process == null || process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the current run has printed {@code text}; fails early when the process died. */
    void awaitOutput(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!currentRunOutput().contains(text)) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited before printing '" + text + "':\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not print '" + text + "' within " + timeout + ":\n" + tail());
            }
            Sleep.millis(200);
        }
    }

    /** The last lines of the current run's output, for failure messages. */
    String tail() {
        List<String> lines = currentRunOutput().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private String currentRunOutput() {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(runStartsAt, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
