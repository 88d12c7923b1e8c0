package org.pvlifecycle.mail.domain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository paths a message's patch touches (docs/mail.md), from the patch itself:
 * <ul>
 * <li>{@code diff --git a/X b/Y}: X and Y (both, so a rename touches its old and new path);</li>
 * <li>a unified diff header, {@code --- X} directly followed by {@code +++ Y}: Y, or X when Y is
 * {@code /dev/null} (a deletion); the {@code a/} and {@code b/} prefixes and a trailing timestamp
 * after a tab are dropped.</li>
 * </ul>
 * Git's quoted paths ({@code "a/with space"}, octal escapes for non-ASCII) are unquoted. Quoted
 * lines ({@code >}) are someone else's patch, so they count for nothing.
 *
 * <p>A series' cover letter ({@link SubjectPrefix#coverLetter()}, {@code [PATCH v2 0/4]}) carries no
 * patch, only the diffstat of the series below its shortlog: it touches the paths its own diffstat
 * names ({@link Diffstat}), so that it, and every reply to it ("For the series: Acked-by: ..."),
 * belongs to the proposal those paths are. Anywhere else a diffstat is a summary of the diff the
 * message carries, and counts for nothing on its own: a patch touches what its diff touches.
 * Paths come in the order found, each once.
 */
public final class PatchedPaths {

    private static final Pattern DIFF_GIT = Pattern.compile("^diff --git (.+)$");
    private static final Pattern OLD_FILE = Pattern.compile("^--- (.+)$");
    private static final Pattern NEW_FILE = Pattern.compile("^\\+\\+\\+ (.+)$");
    private static final String DEV_NULL = "/dev/null";

    private PatchedPaths() {
    }

    /**
     * The paths of the patches in the message's text and in its attached patches; for a cover
     * letter, also those its diffstat names.
     */
    public static List<String> in(MailMessage message) {
        Set<String> paths = new LinkedHashSet<>(of(message.body()));
        message.attachedPatches().forEach(p -> paths.addAll(of(p)));
        if (SubjectPrefix.parse(message.subject()).coverLetter()) {
            paths.addAll(Diffstat.paths(message.body()));
        }
        return List.copyOf(paths);
    }

    public static List<String> of(String text) {
        Set<String> paths = new LinkedHashSet<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher git = DIFF_GIT.matcher(line);
            if (git.matches()) {
                paths.addAll(gitPaths(git.group(1)));
                continue;
            }
            Matcher old = OLD_FILE.matcher(line);
            Matcher neu = i + 1 < lines.length ? NEW_FILE.matcher(lines[i + 1]) : null;
            if (old.matches() && neu != null && neu.matches()) {
                String from = headerPath(old.group(1), "a/");
                String to = headerPath(neu.group(1), "b/");
                String touched = DEV_NULL.equals(to) ? from : to;
                if (!DEV_NULL.equals(touched) && !touched.isEmpty()) {
                    paths.add(touched);
                }
                i++;
            }
        }
        return List.copyOf(paths);
    }

    private static List<String> gitPaths(String rest) {
        List<String> tokens = tokens(rest);
        if (tokens.size() == 2 && tokens.get(0).startsWith("a/") && tokens.get(1).startsWith("b/")) {
            String a = tokens.get(0).substring(2);
            String b = tokens.get(1).substring(2);
            return a.equals(b) ? List.of(b) : List.of(a, b);
        }
        return samePath(rest).map(List::of).orElse(List.of());
    }

    /** {@code a/X b/X}: an unquoted path with spaces, the same on both sides (measured, not backtracked). */
    private static Optional<String> samePath(String rest) {
        int length = (rest.length() - "a/ b/".length()) / 2;
        if (length < 1 || rest.length() != 2 * length + "a/ b/".length()) {
            return Optional.empty();
        }
        String path = rest.substring(2, 2 + length);
        return rest.equals("a/" + path + " b/" + path) ? Optional.of(path) : Optional.empty();
    }

    private static String headerPath(String value, String prefix) {
        String path = value;
        if (!path.startsWith("\"")) {
            int tab = path.indexOf('\t');
            path = (tab >= 0 ? path.substring(0, tab) : path).strip();
        } else {
            path = tokens(path).stream().findFirst().orElse("");
        }
        return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }

    /** A path git C-quoted ({@code "docs/gr\303\274\303\237e.md"}), unquoted. */
    static String unquoted(String quoted) {
        return tokens(quoted).stream().findFirst().orElse("");
    }

    /** Space-separated tokens, where a token in double quotes is a C-quoted string as git writes one. */
    private static List<String> tokens(String s) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '"') {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != '"') {
                    char d = s.charAt(j);
                    if (d == '\\' && j + 1 < s.length()) {
                        char e = s.charAt(j + 1);
                        if (e >= '0' && e <= '7' && j + 3 < s.length()) {
                            bytes.write(Integer.parseInt(s.substring(j + 1, j + 4), 8));
                            j += 4;
                            continue;
                        }
                        bytes.write(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> e;
                        });
                        j += 2;
                        continue;
                    }
                    bytes.writeBytes(String.valueOf(d).getBytes(StandardCharsets.UTF_8));
                    j++;
                }
                tokens.add(bytes.toString(StandardCharsets.UTF_8));
                i = j + 1;
            } else {
                int j = i;
                while (j < s.length() && s.charAt(j) != ' ' && s.charAt(j) != '\t') {
                    j++;
                }
                tokens.add(s.substring(i, j));
                i = j;
            }
        }
        return tokens;
    }
}
