package org.pvlifecycle.mail.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The paths a git diffstat names (docs/mail.md), as git format-patch writes one below a cover
 * letter's shortlog:
 *
 * <pre>
 *  docs/misc/pvcalls.pandoc        | 41 ++++++++++++++++++++++++++++++---
 *  .../include/public/arch-x86/cpuid.h |  4 +-
 *  tools/{old =&gt; new}/name.c      |  2 +-
 *  3 files changed, 47 insertions(+), 6 deletions(-)
 * </pre>
 *
 * A diffstat is a run of file lines (a space, the path, spaces, {@code |}, then a count with its
 * {@code +}/{@code -} marks, or {@code Bin 0 -> 123 bytes}) directly followed by the summary line
 * ({@code N file(s) changed, ...}): file lines without a summary under them are prose that happens
 * to hold a {@code |} (a table of results), and count for nothing. Quoted lines ({@code >}) never
 * start with a space, so a quoted diffstat is none.
 *
 * <ul>
 * <li>A rename names both paths, as in a patch: {@code dir/{old => new}/file} is
 * {@code dir/old/file} and {@code dir/new/file} (an empty side drops its directory:
 * {@code dir/{ => sub}/file} is {@code dir/file} and {@code dir/sub/file}); {@code old => new}
 * without braces is the two paths.</li>
 * <li>A path git cut from the left to fit its width ({@code .../public/io/pvcalls.h}) is kept as
 * written: only its tail from a {@code /} on is known, and {@link ProposalPaths} says what such a
 * tail ties to. When the cut left no {@code /} ({@code ...ame.c}) or went through a rename's braces
 * or a quoted path, no whole path component is known and the line names nothing.</li>
 * <li>A path git C-quoted ({@code "docs/gr\303\274\303\237e.md"}) is unquoted.</li>
 * </ul>
 * Paths come in the order found, each once.
 */
public final class Diffstat {

    /** After a file line's last {@code |}: the count and its marks, or a binary file's sizes. */
    private static final Pattern CHANGE = Pattern.compile(" +(?:\\d+(?: [+-]*)?|Bin(?: \\d+ -> \\d+ bytes)?) *");
    private static final Pattern SUMMARY = Pattern.compile(
            " \\d+ files? changed(?:, \\d+ insertions?\\(\\+\\))?(?:, \\d+ deletions?\\(-\\))? *");
    private static final String RENAME = " => ";

    private Diffstat() {
    }

    /** The paths of the diffstats in {@code text}. */
    public static List<String> paths(String text) {
        Set<String> paths = new LinkedHashSet<>();
        List<String> run = new ArrayList<>();
        for (String line : text.split("\\R", -1)) {
            Optional<String> shown = shownName(line);
            if (shown.isPresent()) {
                run.add(shown.get());
                continue;
            }
            if (!run.isEmpty() && SUMMARY.matcher(line).matches()) {
                run.forEach(name -> paths.addAll(named(name)));
            }
            run.clear();
        }
        return List.copyOf(paths);
    }

    /** The name as a file line shows it, if {@code line} is one. */
    private static Optional<String> shownName(String line) {
        int bar = line.lastIndexOf('|'); // the count never holds one; a path might
        if (bar < 3 || line.charAt(0) != ' ' || line.charAt(1) == ' ' || line.charAt(bar - 1) != ' '
                || !CHANGE.matcher(line.substring(bar + 1)).matches()) {
            return Optional.empty();
        }
        return Optional.of(line.substring(1, bar).stripTrailing());
    }

    /** The paths one file line names: both of a rename, none when git's cut left no whole component. */
    private static List<String> named(String shown) {
        int arrow = shown.indexOf(RENAME);
        if (arrow < 0) {
            return whole(shown).map(List::of).orElse(List.of());
        }
        int open = shown.lastIndexOf('{', arrow);
        int close = shown.indexOf('}', arrow);
        List<String> sides = new ArrayList<>();
        if (open >= 0 && close >= 0) {
            String before = shown.substring(0, open);
            String after = shown.substring(close + 1);
            sides.add(joined(before, quoted(shown.substring(open + 1, arrow)), after));
            sides.add(joined(before, quoted(shown.substring(arrow + RENAME.length(), close)), after));
        } else if (shown.indexOf('{') < 0 && shown.indexOf('}') < 0) {
            sides.add(shown.substring(0, arrow));
            sides.add(shown.substring(arrow + RENAME.length()));
        } else {
            return List.of(); // the cut went through the braces: which part is which is lost
        }
        return sides.stream().map(Diffstat::whole).flatMap(Optional::stream).toList();
    }

    /** A rename's side in full: an empty middle drops its directory ({@code dir/{ => sub}/file}). */
    private static String joined(String before, String middle, String after) {
        if (middle.isEmpty() && after.startsWith("/") && (before.isEmpty() || before.endsWith("/"))) {
            return before + after.substring(1);
        }
        return before + middle + after;
    }

    /**
     * A path as git shows it, unquoted, a shortened one as {@code .../tail}; none when no whole
     * component of it is known. A {@code "} outside a quoted path is a cut through one: git quotes
     * every path that holds one.
     */
    private static Optional<String> whole(String shown) {
        String path = shown.strip();
        if (isQuoted(path)) {
            path = PatchedPaths.unquoted(path);
        } else if (path.indexOf('"') >= 0) {
            return Optional.empty();
        }
        if (path.startsWith(ProposalPaths.CUT) && !ProposalPaths.isShortened(path)) {
            return Optional.empty(); // "...ame.c": the cut left no /, so not one whole component
        }
        return path.isEmpty() || path.endsWith("/") ? Optional.empty() : Optional.of(path);
    }

    /** {@code s} unquoted when git C-quoted the whole of it, else as it is. */
    private static String quoted(String s) {
        return isQuoted(s) ? PatchedPaths.unquoted(s) : s;
    }

    private static boolean isQuoted(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"");
    }
}
