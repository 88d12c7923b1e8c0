package org.pvlifecycle.systemtests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Ports for the stack's parts, picked once per run and never twice. */
final class FreePorts {
    private static final int LOWEST_PORT = 10000;
    /** Ports are picked before they are bound: one run must not pick the same one twice. */
    private static final Set<Integer> PICKED_PORTS = new HashSet<>();

    /**
     * A free port below the kernel's ephemeral range. Outgoing connections take their local ports
     * from that range, so a port picked there can be taken by one before the service binds it (seen
     * here), or while a killed service is down.
     */
    static synchronized int pick() {
        int ephemeralFrom = ephemeralPortsFrom();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = LOWEST_PORT + random.nextInt(ephemeralFrom - LOWEST_PORT);
            if (PICKED_PORTS.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                PICKED_PORTS.add(port);
                return port;
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST_PORT + " and " + ephemeralFrom);
    }

    private static int ephemeralPortsFrom() {
        try {
            // Not Files.readString: procfs reports a size of 0, and that reads a single byte here.
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                    .strip().split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return 32768;
        }
    }

    private FreePorts() {
    }
}
