package org.pvlifecycle.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java home that runs the stack, chosen as {@code ./pvl} chooses it: JAVA_HOME's when it is
 * set; else this JVM's, unless that is older than 25 and a Java of 25 or newer is installed under
 * {@code /usr/lib/jvm}, whose newest then runs it. So these tests run the services on the Java
 * that {@code ./pvl up} runs them on, while every module's own tests run on the build's Java.
 */
final class StackJava {
    static final int PREFERRED_FEATURE = 25;
    private static final Path INSTALLED = Path.of("/usr/lib/jvm");
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?(\\d+)");

    /** The chosen Java's home directory. */
    static Path home() {
        Path own = Path.of(System.getProperty("java.home"));
        String chosen = System.getenv("JAVA_HOME");
        if (chosen != null && !chosen.isBlank() || Runtime.version().feature() >= PREFERRED_FEATURE) {
            return own;
        }
        return newestInstalled(INSTALLED).filter(home -> feature(home) >= PREFERRED_FEATURE).orElse(own);
    }

    /** One of the chosen Java's tools ({@code java}, {@code jcmd}). */
    static String tool(String name) {
        return home().resolve("bin").resolve(name).toString();
    }

    /** The home under {@code dir} of the newest Java release there, by its release file. */
    static Optional<Path> newestInstalled(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(dir)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .max(Comparator.comparingInt(StackJava::feature));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The feature release (17, 25, ...) a Java home's release file names; 0 when it names none. */
    static int feature(Path home) {
        try {
            Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private StackJava() {
    }
}
