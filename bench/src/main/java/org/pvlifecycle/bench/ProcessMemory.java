package org.pvlifecycle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        try {
            Path pidFile = state.resolve("postgres").resolve("data").resolve("postmaster.pid");
            String postmaster = Files.readAllLines(pidFile).get(0).trim();
            // A pid file left by a crash may name a pid some other program has since.
            if (!Files.readString(Path.of("/proc", postmaster, "cmdline")).contains("postgres")) {
                return -1;
            }
            long kb = pssKb(postmaster);
            try (var processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path process : processes) {
                    try {
                        String stat = Files.readString(process.resolve("stat"));
                        String parent = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1];
                        if (parent.equals(postmaster)) {
                            kb += pssKb(process.getFileName().toString());
                        }
                    } catch (IOException gone) {
                        // A backend that ended while being read holds no memory any more.
                    }
                }
            }
            return kb / 1024;
        } catch (Exception unreadable) {
            return -1;
        }
    }

    private static long pssKb(String pid) throws IOException {
        Matcher pss = PSS.matcher(Files.readString(Path.of("/proc", pid, "smaps_rollup")));
        return pss.find() ? Long.parseLong(pss.group(1)) : 0;
    }
}
