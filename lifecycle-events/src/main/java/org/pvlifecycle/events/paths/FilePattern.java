package org.pvlifecycle.events.paths;

import java.util.regex.Pattern;

/**
 * One {@code F:} or {@code X:} pattern of a Xen MAINTAINERS section, matched against a repository
 * path as xen.git's {@code scripts/get_maintainer.pl} matches it (docs/rules.md):
 * <ul>
 * <li>a pattern ending in {@code /} names a directory and matches every file in and below it
 * ({@code xen/include/public/io/});</li>
 * <li>any other pattern matches a path with as many segments ({@code xen/arch/*}{@code /livepatch*}
 * matches {@code xen/arch/x86/livepatch.c}, not {@code xen/arch/x86/mm/livepatch.c});</li>
 * <li>{@code *} matches any run and {@code ?} any one character within a segment, never a
 * {@code /}; {@code {a,b}} matches either alternative, as the script's brace expansion does;</li>
 * <li>a pattern without glob characters and without the trailing {@code /} may name a directory
 * ({@code F: tools/python}): the script appends the {@code /} when the directory exists in its
 * checkout; here, without a checkout, a path below it proves that it is one, so the pattern
 * also matches every path below it.</li>
 * </ul>
 * The script anchors its regular expression only at the start, so {@code F: docs/README.remus}
 * also matches {@code docs/README.remus.orig} there; the MAINTAINERS description of {@code F:} ("all
 * files in drivers/net, but not below") means whole segments, and so does this class.
 *
 * <p>{@link #depth()} is the script's specificity: the number of {@code /} in the pattern, one more
 * for a pattern that does not end in {@code /}, and -1 for a pattern starting with {@code *}.
 */
public final class FilePattern {
    private final String glob;
    private final Pattern regex;

    public FilePattern(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("an empty file pattern");
        }
        this.glob = glob.strip();
        this.regex = this.glob.endsWith("/")
                ? regex(this.glob.substring(0, this.glob.length() - 1), "/.*")
                : regex(this.glob, "");
    }

    /** The pattern as MAINTAINERS writes it. */
    public String glob() {
        return glob;
    }

    public boolean matches(String path) {
        String p = normalise(path);
        if (regex.matcher(p).matches()) {
            return true;
        }
        return !glob.endsWith("/") && !hasGlob() && p.startsWith(glob + "/");
    }

    public int depth() {
        if (glob.startsWith("*")) {
            return -1;
        }
        int slashes = (int) glob.chars().filter(c -> c == '/').count();
        return glob.endsWith("/") ? slashes : slashes + 1;
    }

    boolean hasGlob() {
        return glob.chars().anyMatch(c -> c == '*' || c == '?' || c == '{');
    }

    /** Paths as a patch names them: no leading {@code ./} or {@code /}. */
    static String normalise(String path) {
        String p = path.strip();
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    private static Pattern regex(String glob, String tail) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            boolean special = c == '*' || c == '?' || c == '{' || (braces > 0 && (c == ',' || c == '}'));
            if (!special) {
                literal.append(c);
                continue;
            }
            if (!literal.isEmpty()) {
                re.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '{' -> {
                    braces++;
                    re.append("(?:");
                }
                case ',' -> re.append('|');
                default -> { // '}'
                    braces--;
                    re.append(')');
                }
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        if (braces != 0) {
            // An unclosed brace is not an alternation: match the pattern's text literally.
            return Pattern.compile(Pattern.quote(glob) + tail);
        }
        return Pattern.compile(re + tail);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FilePattern other && other.glob.equals(glob);
    }

    @Override
    public int hashCode() {
        return glob.hashCode();
    }

    @Override
    public String toString() {
        return glob;
    }
}
