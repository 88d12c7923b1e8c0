package org.pvlifecycle.proposal.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a spec's text reads, whatever it says: its lines (for a public C header, the text of its
 * comments, line numbers kept) and its headings (Markdown headings outside code fences and the
 * pandoc title block; a header's banners). {@link SpecAnalysis} applies the rules to them.
 */
final class SpecText {
    private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^ {0,3}(=+|-+)\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*$");
    /** A directive written as headers write them, without a space: an ATX heading needs one after its {@code #}. */
    private static final Pattern PREPROCESSOR = Pattern.compile("^#(include|ifndef|ifdef|if|define|pragma)\\b.*");
    /** A header's rule line: only {@code *}, {@code =} or {@code -}, at least three. */
    private static final Pattern RULE = Pattern.compile("^\\s*(\\*{3,}|={3,}|-{3,})\\s*$");
    /** The decoration of a block comment's continuation line: indentation, one star, one space. */
    private static final Pattern COMMENT_DECORATION = Pattern.compile("^\\s*\\*(?!/) ?");

    /** A heading: its 1-based line and its text, lower-cased. */
    record Heading(int line, String text) {
    }

    private SpecText() {
    }

    /** The document's headings, the way its kind writes them. */
    static List<Heading> headings(String spec, List<String> lines) {
        return isHeader(spec) ? bannerHeadings(lines) : markdownHeadings(lines);
    }

    /** Markdown headings; headings inside fenced code blocks and the pandoc title block are not sections. */
    private static List<Heading> markdownHeadings(List<String> lines) {
        List<Heading> headings = new ArrayList<>();
        int first = titleBlockEnd(lines);
        String openFence = null;
        for (int i = first; i < lines.size(); i++) {
            String line = lines.get(i);
            // A matcher only where a fence can start: one for every line was a third of the analysis.
            Matcher fence = startsWithAnyOf(line, "`~") ? FENCE.matcher(line) : null;
            if (fence != null && fence.matches()) {
                String marker = fence.group(1);
                if (openFence == null) {
                    openFence = marker;
                } else if (marker.charAt(0) == openFence.charAt(0) && marker.length() >= openFence.length()) {
                    openFence = null;
                }
                continue;
            }
            if (openFence != null) {
                continue;
            }
            Optional<String> atx = atxHeading(line);
            if (atx.isPresent()) {
                headings.add(new Heading(i + 1, lower(atx.get())));
            } else if (!line.isBlank() && i + 1 < lines.size() && startsWithAnyOf(lines.get(i + 1), "=-")
                    && SETEXT_UNDERLINE.matcher(lines.get(i + 1)).matches()
                    && !line.startsWith("    ") && !FENCE.matcher(lines.get(i + 1)).matches()) {
                headings.add(new Heading(i + 1, lower(line.trim())));
            }
        }
        return headings;
    }

    /**
     * Whether the line's first character after at most three spaces is one of {@code chars}: what a
     * fence or a setext underline starts with, checked before their regular expressions run on
     * every line of the document.
     */
    private static boolean startsWithAnyOf(String line, String chars) {
        int i = 0;
        while (i < 3 && i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i < line.length() && chars.indexOf(line.charAt(i)) >= 0;
    }

    /** The index of the first line after a pandoc title block ({@code %} lines and their indented continuations). */
    private static int titleBlockEnd(List<String> lines) {
        int i = 0;
        while (i < lines.size() && (lines.get(i).startsWith("%")
                || (i > 0 && lines.get(i).startsWith(" ") && !lines.get(i).isBlank()))) {
            i++;
        }
        return i;
    }

    /** A header's banners: a title between two rule lines, or a title inside a dashed rule. */
    private static List<Heading> bannerHeadings(List<String> lines) {
        List<Heading> headings = new ArrayList<>();
        boolean[] rule = new boolean[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            rule[i] = isRule(lines.get(i));
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Optional<String> dashed = dashedTitle(line);
            if (dashed.isPresent()) {
                headings.add(new Heading(i + 1, lower(dashed.get())));
            } else if (!line.isBlank() && !rule[i] && i > 0 && i + 1 < lines.size() && rule[i - 1] && rule[i + 1]) {
                headings.add(new Heading(i + 1, lower(line.trim())));
            }
        }
        return headings;
    }

    /** {@link #RULE}, tried only on a line whose first character after its whitespace ({@code \s}) is one a rule is made of. */
    private static boolean isRule(String line) {
        int i = 0;
        while (i < line.length() && " \t\n\u000B\f\r".indexOf(line.charAt(i)) >= 0) {
            i++;
        }
        return i < line.length() && "*=-".indexOf(line.charAt(i)) >= 0 && RULE.matcher(line).matches();
    }

    /*
     * The two heading shapes below are read by hand, not by regular expressions: a lazy group before
     * optional trailing characters backtracks quadratically or worse, and a spec may be a megabyte
     * of one line.
     */

    /** An ATX heading's text: up to three spaces, one to six {@code #}, a space or the end, the closing {@code #}s dropped. */
    static Optional<String> atxHeading(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        if (i > 3) {
            return Optional.empty();
        }
        int hashes = 0;
        while (i + hashes < line.length() && line.charAt(i + hashes) == '#') {
            hashes++;
        }
        int start = i + hashes;
        if (hashes < 1 || hashes > 6 || (start < line.length() && !Character.isWhitespace(line.charAt(start)))) {
            return Optional.empty();
        }
        String text = line.substring(start).strip();
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '#') {
            end--;
        }
        if (end == 0 || Character.isWhitespace(text.charAt(end - 1))) {
            text = text.substring(0, end).strip();
        }
        return Optional.of(text);
    }

    /** The title of a header's dashed rule: at least three {@code -} on each side of it. */
    static Optional<String> dashedTitle(String line) {
        String t = line.strip();
        int lead = 0;
        while (lead < t.length() && t.charAt(lead) == '-') {
            lead++;
        }
        int trail = 0;
        while (trail < t.length() - lead && t.charAt(t.length() - 1 - trail) == '-') {
            trail++;
        }
        if (lead < 3 || trail < 3) {
            return Optional.empty();
        }
        String title = t.substring(lead, t.length() - trail).strip();
        return title.isEmpty() ? Optional.empty() : Optional.of(title);
    }

    /** Whether the text is a C header: its first non-blank line opens a comment or is a directive. */
    static boolean isHeader(String spec) {
        // Only up to the first non-blank line: the text may be megabytes, and this runs on every revision.
        int start = 0;
        while (true) {
            int end = lineEnd(spec, start);
            String line = spec.substring(start, end);
            if (!line.isBlank()) {
                String first = line.stripLeading();
                return first.startsWith("/*") || first.startsWith("//") || PREPROCESSOR.matcher(first).matches();
            }
            if (end == spec.length()) {
                return false;
            }
            start = end + breakLength(spec, end);
        }
    }

    /**
     * The document's lines, one per line of the text so that line numbers are the text's: for
     * Markdown the text itself, for a header the text inside its comments (code lines are blank).
     */
    static List<String> documentLines(String spec) {
        List<String> raw = lines(spec);
        return isHeader(spec) ? CommentText.of(raw) : raw;
    }

    /**
     * The text's lines, as {@code spec.split("\\R", -1)} cuts them (every Unicode line break, and
     * {@code \r\n} as one), by a scan rather than the regular expression: on a 37 KB spec the
     * split was a tenth of a revision's time.
     */
    static List<String> lines(String spec) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = lineEnd(spec, start);
            lines.add(spec.substring(start, end));
            if (end == spec.length()) {
                return lines;
            }
            start = end + breakLength(spec, end);
        }
    }

    /** Where the line starting at {@code from} ends: at the next line break ({@code \R}), or the text's end. */
    private static int lineEnd(String text, int from) {
        int length = text.length();
        for (int i = from; i < length; i++) {
            char c = text.charAt(i);
            // Printable ASCII first, which is nearly every character: one comparison, not seven.
            if (c > '\r' && c < '\u0085') {
                continue;
            }
            if (isLineBreak(c)) {
                return i;
            }
        }
        return length;
    }

    /** The length of the line break at {@code at}: 2 for {@code \r\n}, else 1. */
    private static int breakLength(String text, int at) {
        return text.charAt(at) == '\r' && at + 1 < text.length() && text.charAt(at + 1) == '\n' ? 2 : 1;
    }

    /** The characters {@code \R} breaks a line at. */
    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u000B' || c == '\u000C' || c == '\u0085' || c == '\u2028'
                || c == '\u2029';
    }

    /** The comments of C source, line by line, skipping string and character literals. */
    private static final class CommentText {
        private enum State { CODE, BLOCK, STRING, CHAR }

        static List<String> of(List<String> sourceLines) {
            List<String> out = new ArrayList<>(sourceLines.size());
            State state = State.CODE;
            StringBuilder comment = new StringBuilder();
            for (String line : sourceLines) {
                comment.setLength(0);
                boolean continuesBlock = state == State.BLOCK;
                int i = 0;
                if (continuesBlock) {
                    Matcher decoration = COMMENT_DECORATION.matcher(line);
                    if (decoration.lookingAt()) {
                        i = decoration.end();
                    }
                }
                while (i < line.length()) {
                    if (state == State.BLOCK) {
                        // The comment's text up to its end on this line, at once rather than a character at a time.
                        int close = line.indexOf("*/", i);
                        comment.append(line, i, close < 0 ? line.length() : close);
                        if (close < 0) {
                            break;
                        }
                        state = State.CODE;
                        i = close + 2;
                        continue;
                    }
                    char c = line.charAt(i);
                    char next = i + 1 < line.length() ? line.charAt(i + 1) : '\0';
                    if (state == State.CODE) {
                        if (c == '/' && next == '*') {
                            state = State.BLOCK;
                            i++;
                        } else if (c == '/' && next == '/') {
                            comment.append(line, i + 2, line.length());
                            i = line.length();
                        } else if (c == '"') {
                            state = State.STRING;
                        } else if (c == '\'') {
                            state = State.CHAR;
                        }
                    } else if (c == '\\') {
                        i++; // an escape inside a string or character literal
                    } else if ((state == State.STRING && c == '"') || (state == State.CHAR && c == '\'')) {
                        state = State.CODE;
                    }
                    i++;
                }
                if (state == State.STRING || state == State.CHAR) {
                    state = State.CODE; // C literals do not span lines
                }
                out.add(comment.toString());
            }
            return out;
        }
    }

    /** Line breaks ({@code \n}, {@code \r\n} or a lone {@code \r}) in {@code text[from, to)}. */
    static int lineBreaks(String text, int from, int to) {
        int breaks = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c > '\r') {
                continue;
            }
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                breaks++;
            }
        }
        return breaks;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
