package org.pvlifecycle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the stack's processes hold in memory, read from /proc (Linux). */
final class ProcessMemory {
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern PSS = Pattern.compile("(?m)^Pss:\\s+(\\d+) kB");

    private ProcessMemory() {
    }

    /** The resident set of process {@code pid} in MB; -1 when it is gone or cannot be read. */
    static long rssMb(String pid) {
        try {
            Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", pid, "status")));
            return rss.find() ? Long.parseLong(rss.group(1)) / 1024 : -1;
        } catch (IOException gone) {
            return -1;
        }
    }

    /**
     * The proportional set size of the PostgreSQL server (its postmaster, as postmaster.pid under
     * {@code state} names it, and every process it forked), in MB; -1 when it cannot be read. Its
     * processes share their buffers, so each one's resident size counts those pages again (220 MB
     * summed against 27 MB in one run); their proportional shares do not.
     */
    static long postgresPssMb(Path state) {
        List<String> server = postgresProcesses(state);
        if (server.isEmpty()) {
            return -1;
        }
        long kb = 0;
        for (String pid : server) {
            try {
                kb += pssKb(pid);
            } catch (IOException gone) {
                // A backend that ended while being read holds no memory any more.
            }
        }
        return kb / 1024;
    }

    /**
     * The PostgreSQL server's processes: its postmaster first (as postmaster.pid under {@code state}
     * names it), then every process it forked; empty when they cannot be read.
     */
    static List<String> postgresProcesses(Path state) {
        try {
            Path pidFile = state.resolve("postgres").resolve("data").resolve("postmaster.pid");
            String postmaster = Files.readAllLines(pidFile).get(0).trim();
            // A pid file left by a crash may name a pid some other program has since.
            if (!Files.readString(Path.of("/proc", postmaster, "cmdline")).contains("postgres")) {
                return List.of();
            }
            List<String> pids = new ArrayList<>(List.of(postmaster));
            try (var processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path process : processes) {
                    try {
                        if (statFields(process.getFileName().toString())[1].equals(postmaster)) {
                            pids.add(process.getFileName().toString());
                        }
                    } catch (IOException gone) {
                        // A backend that ended while being listed is no longer the server's.
                    }
                }
            }
            return pids;
        } catch (Exception unreadable) {
            return List.of();
        }
    }

    /** The fields of /proc/{@code pid}/stat after the command's name: [0] is the state, [1] the parent. */
    static String[] statFields(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static long pssKb(String pid) throws IOException {
        Matcher pss = PSS.matcher(Files.readString(Path.of("/proc", pid, "smaps_rollup")));
        return pss.find() ? Long.parseLong(pss.group(1)) : 0;
    }
}
