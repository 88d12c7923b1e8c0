package org.pvlifecycle.mail.domain;

import org.pvlifecycle.events.paths.FilePattern;
import org.pvlifecycle.events.paths.PathCoverage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a change a maintainer's ack is for, when they say so in a comment after the trailer,
 * as xen-devel maintainers do: {@code Acked-by: Jan Beulich <jbeulich@suse.com> # x86},
 * {@code # for the x86 parts}, {@code # x86, hypervisor}, {@code # xen/arch/x86/} (docs/mail.md,
 * "What a message does"). Such an ack counts only for the components its scope names, and nothing
 * here guesses beyond whole words and paths.
 *
 * <ul>
 * <li>The scope is cut into pieces at spaces, commas, semicolons, {@code +} and {@code &}; brackets,
 * quotes and a closing full stop around a piece are dropped. A piece with a {@code /} is a path;
 * each other piece gives its words: its runs of letters and digits, lower-cased ({@code x86-64}:
 * {@code x86} and {@code 64}).</li>
 * <li><b>A word</b> names a component when it is a word of the component's id ({@code x86-architecture},
 * {@code the-rest}) or of its title ({@code X86 ARCHITECTURE}), whatever the case. A word of one
 * character names nothing, nor do the words that only make up the phrase around the area ("for the
 * x86 parts": {@link #FILLERS}): "the" would otherwise name {@code the-rest}, "and" the I/O
 * interfaces' section. A word names a component only whole: {@code arm64} is not {@code arm}.</li>
 * <li><b>A path</b> ({@code xen/arch/x86/}, {@code xen/arch/x86}, {@code tools/}) names the
 * components whose {@code F:} patterns cover it, as {@link PathCoverage} reads MAINTAINERS (an
 * {@code X:} pattern matching it drops the component; THE REST is left out when a component with a
 * maintainer covers it). A path without a trailing {@code /} may be a file or a directory and is
 * read as both. A pattern matching any path ({@code *}, {@code *}{@code /}: THE REST's) names
 * nothing: it would name THE REST for any piece with a slash ("I/O"). A path names nothing when the
 * policy does not describe its components' patterns. A component whose patterns lie below the
 * path ({@code tools/libs/light/} for {@code # tools/}) is not named by it.</li>
 * </ul>
 * Only the first {@value #MAX_LENGTH} characters of a scope are read: real ones are a few words.
 */
public final class AckScope {
    /** Words that only make up the phrase around an area: they name no component. */
    public static final Set<String> FILLERS = Set.of("a", "an", "and", "or", "the", "for", "of", "to", "in", "on",
            "only", "just", "with", "this", "these", "that", "those", "all", "its", "part", "parts", "bit", "bits",
            "side", "sides", "change", "changes", "piece", "pieces", "hunk", "hunks");
    public static final int MAX_LENGTH = 300;

    private static final Pattern PIECES = Pattern.compile("[\\s,;+&]+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final String OPENERS = "([{\"'`<";
    private static final String CLOSERS = ")]}\"'`>.,:;!?";

    private final String text;
    private final Set<String> words;
    private final Set<String> paths;

    private AckScope(String text, Set<String> words, Set<String> paths) {
        this.text = text;
        this.words = Set.copyOf(words);
        this.paths = Set.copyOf(paths);
    }

    /** The scope a trailer's comment (the text after its {@code #}) gives; none for a blank one. */
    public static Optional<AckScope> of(String comment) {
        String text = comment == null ? "" : comment.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Set<String> words = new LinkedHashSet<>();
        Set<String> paths = new LinkedHashSet<>();
        String read = text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH);
        for (String raw : PIECES.split(read)) {
            String piece = trim(raw);
            if (piece.indexOf('/') >= 0) {
                if (WORD.matcher(piece).find()) {
                    paths.add(piece);
                }
                continue;
            }
            words.addAll(wordsOf(piece));
        }
        words.removeIf(w -> w.length() < 2 || FILLERS.contains(w));
        return Optional.of(new AckScope(text, words, paths));
    }

    /** The comment as written, after the {@code #}. */
    public String text() {
        return text;
    }

    /** The words that may name a component, lower-cased. */
    public Set<String> words() {
        return words;
    }

    /** The pieces read as paths. */
    public Set<String> paths() {
        return paths;
    }

    /**
     * Of {@code candidates} (component ids), in their order, those this scope names, knowing the
     * components the policy describes ({@code described}: titles and patterns; may be empty).
     */
    public List<String> named(List<String> candidates, Map<String, Knowledge.Component> described) {
        Set<String> byPath = coveredByPaths(described);
        List<String> named = new ArrayList<>();
        for (String candidate : candidates) {
            if (byPath.contains(candidate) || namedByWords(candidate, described.get(candidate))) {
                named.add(candidate);
            }
        }
        return named;
    }

    private boolean namedByWords(String id, Knowledge.Component component) {
        if (words.isEmpty()) {
            return false;
        }
        Set<String> own = wordsOf(id);
        if (component != null && component.title() != null) {
            own.addAll(wordsOf(component.title()));
        }
        return own.stream().anyMatch(words::contains);
    }

    private Set<String> coveredByPaths(Map<String, Knowledge.Component> described) {
        if (paths.isEmpty() || described.isEmpty()) {
            return Set.of();
        }
        List<PathCoverage.Area> areas = new ArrayList<>();
        described.forEach((id, c) -> areas.add(new PathCoverage.Area(id,
                PathCoverage.THE_REST.equalsIgnoreCase(c.title()), c.maintained(), patterns(c.files()),
                patterns(c.excluded()))));
        Set<String> named = new LinkedHashSet<>();
        for (String path : paths) {
            List<PathCoverage.Covered> covering = new ArrayList<>(PathCoverage.coverage(areas, path));
            if (!path.endsWith("/")) {
                covering.addAll(PathCoverage.coverage(areas, path + "/"));
            }
            covering.removeIf(c -> c.depth() < 0);
            if (covering.stream().anyMatch(c -> !c.area().theRest() && c.area().maintained())) {
                covering.removeIf(c -> c.area().theRest());
            }
            covering.forEach(c -> named.add(c.area().id()));
        }
        return named;
    }

    private static List<FilePattern> patterns(List<String> globs) {
        return globs.stream().filter(g -> g != null && !g.isBlank()).map(FilePattern::new).toList();
    }

    private static Set<String> wordsOf(String text) {
        Set<String> words = new LinkedHashSet<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            words.add(m.group().toLowerCase(Locale.ROOT));
        }
        return words;
    }

    /** The piece without the brackets, quotes and punctuation around it. */
    private static String trim(String piece) {
        int start = 0;
        int end = piece.length();
        while (start < end && OPENERS.indexOf(piece.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && CLOSERS.indexOf(piece.charAt(end - 1)) >= 0) {
            end--;
        }
        return piece.substring(start, end);
    }

    @Override
    public String toString() {
        return "# " + text;
    }
}
