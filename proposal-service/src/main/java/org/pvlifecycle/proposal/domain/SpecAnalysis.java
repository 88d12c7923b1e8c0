package org.pvlifecycle.proposal.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What docs/rules.md asks of a spec revision: the three required sections, and the warning against
 * describing the protocol with C structs.
 *
 * <p><b>Two kinds of document.</b> A spec is either a Markdown (pandoc) design document, as in
 * xen.git's {@code docs/misc/*.pandoc}, or a public C header ({@code xen/include/public/io/*.h})
 * that keeps the protocol in its comments. A text is read as a header when its first non-blank
 * line opens a C comment ({@code /*}, {@code //}) or is a preprocessor directive
 * ({@code #include}, {@code #ifndef}, ...: no space after the {@code #}, which an ATX heading
 * needs); anything else is Markdown. Of a header only the text inside comments is the document,
 * with the {@code " * "} decoration of comment lines removed; the code between comments is not
 * prose, and so describes no section.
 *
 * <p><b>Headings.</b> In Markdown: ATX ({@code #} to {@code ######}) and setext (underlined with
 * {@code =} or {@code -}) headings at any level, outside fenced code blocks; the pandoc title
 * block (the {@code %} lines a file starts with) names the document, not a section, so it is
 * none. In a header, the headings are its two banner styles: a title framed by rule lines of
 * {@code *}, {@code =} or {@code -} above and below, and a title inside a dashed rule
 * ({@code ------ Requests ------}).
 *
 * <p><b>Required sections.</b> Each is present when a heading names it (lower-cased, whole words):
 * <ul>
 * <li>xenstore handshake: {@code xenstore} or {@code xenbus} ("XenStore handshake",
 * "Frontend XenBus Nodes");</li>
 * <li>ABI: {@code abi}, {@code layout} ("Request and response layout"), or a format qualified as
 * the interface's ({@code wire}, {@code binary}, {@code ring}, {@code page}, {@code packet},
 * {@code message}, {@code request} or {@code response} followed by {@code format});</li>
 * <li>protocol operation: {@code protocol}, {@code commands}, {@code workflow}, or
 * {@code request/response} (or "requests and responses") unless it is their layout or format,
 * which is the ABI ("Request and response layout").</li>
 * </ul>
 * The xenstore handshake is also present when the document describes it without such a heading,
 * because Xen documents handshakes in one recognisable convention: a XenBus node definition (a
 * node name on a line of its own, then an indented {@code Values:} line), a xenstore path
 * ({@code /local/domain/...}), a state machine naming two or more {@code XenbusState...} states, or
 * two or more of the well-known handshake keys ({@code ring-ref}, {@code event-channel},
 * {@code feature-...}, {@code max-ring-page-order}, {@code ring-page-order}). A single key in
 * passing, or a pointer elsewhere ("see the header for the Xenstore entries"), describes nothing.
 * The ABI and the protocol's operation have no such convention: byte-layout drawings and
 * request/response prose turn up in every kind of section, and the process asks for the ABI to be
 * stated as such (docs/rules.md), so those two are found by their headings only. The heading
 * words in prose never count, and "Capabilities" is not "abi" nor "Protocols" "protocol".
 *
 * <p><b>C structs.</b> Every {@code struct name {} or {@code struct {} (the brace possibly on a
 * later line) anywhere in the text, in code fences, comments or code alike, is listed in
 * {@link #structs()} with its line, and any one of them gives the warning
 * {@code C_STRUCTS_DISCOURAGED}. Nested struct definitions count one by one.
 */
public record SpecAnalysis(List<String> missingSections, List<String> warnings, List<StructLocation> structs) {

    public static final String XENSTORE_HANDSHAKE = "xenstore handshake";
    public static final String ABI = "ABI";
    public static final String PROTOCOL_OPERATION = "protocol operation";
    public static final String C_STRUCTS_DISCOURAGED = "C_STRUCTS_DISCOURAGED";

    /** A C struct definition in the spec: its tag ("" for an anonymous struct) and its 1-based line. */
    public record StructLocation(String name, int line) {
        public StructLocation {
            name = name == null ? "" : name;
        }

        public boolean anonymous() {
            return name.isEmpty();
        }
    }

    public SpecAnalysis {
        missingSections = List.copyOf(missingSections);
        warnings = List.copyOf(warnings);
        structs = List.copyOf(structs);
    }

    /** The shape the events carry (missing sections and warnings), without the struct locations. */
    public SpecAnalysis(List<String> missingSections, List<String> warnings) {
        this(missingSections, warnings, List.of());
    }

    /** Why a required section counts as present: the 1-based line and what was found there. */
    record Finding(String section, int line, String evidence) {
    }

    private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^ {0,3}(=+|-+)\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*$");
    /** A directive written as headers write them, without a space: an ATX heading needs one after its {@code #}. */
    private static final Pattern PREPROCESSOR = Pattern.compile("^#(include|ifndef|ifdef|if|define|pragma)\\b.*");
    /** A header's rule line: only {@code *}, {@code =} or {@code -}, at least three. */
    private static final Pattern RULE = Pattern.compile("^\\s*(\\*{3,}|={3,}|-{3,})\\s*$");
    /** The decoration of a block comment's continuation line: indentation, one star, one space. */
    private static final Pattern COMMENT_DECORATION = Pattern.compile("^\\s*\\*(?!/) ?");

    private static final Pattern XENSTORE_HEADING = Pattern.compile("\\b(xenstore|xenbus)\\b");
    private static final Pattern ABI_HEADING = Pattern.compile(
            "\\babi\\b|\\blayout\\b|\\b(wire|binary|ring|page|packet|message|request|response)s?\\s+formats?\\b");
    private static final Pattern PROTOCOL_HEADING = Pattern.compile(
            "\\bprotocol\\b|\\bcommands\\b|\\bworkflow\\b"
                    + "|\\brequests?\\s*(/|and|&)\\s*responses?\\b(?!\\s+(layouts?|formats?)\\b)");

    private static final Pattern XENBUS_NODE_NAME = Pattern.compile("^\\s*[A-Za-z0-9][\\w\\-<>%/.]*\\s*$");
    private static final Pattern XENBUS_NODE_VALUES = Pattern.compile("^\\s+Values\\s*:.*");
    private static final Pattern XENSTORE_PATH = Pattern.compile("/local/domain/");
    private static final Pattern XENBUS_STATE = Pattern.compile("\\bXenbusState[A-Z]\\w*");
    private static final Pattern HANDSHAKE_KEY = Pattern.compile(
            "(?<![\\w-])(ring-ref|event-channel|feature-[a-z0-9-]*[a-z0-9]|max-ring-page-order|ring-page-order)");

    /** {@code struct name {} or {@code struct {}, the brace possibly on a later line. */
    private static final Pattern C_STRUCT = Pattern.compile("\\bstruct(?:\\s+([A-Za-z_]\\w*))?\\s*\\{");

    public static SpecAnalysis of(String spec) {
        List<Finding> findings = findings(spec);
        List<String> missing = new ArrayList<>();
        for (String section : List.of(XENSTORE_HANDSHAKE, ABI, PROTOCOL_OPERATION)) {
            if (findings.stream().noneMatch(f -> f.section().equals(section))) {
                missing.add(section);
            }
        }
        List<StructLocation> structs = structs(spec);
        List<String> warnings = structs.isEmpty() ? List.of() : List.of(C_STRUCTS_DISCOURAGED);
        return new SpecAnalysis(missing, warnings, structs);
    }

    /** For each required section the document has, the first place that shows it: a heading if any, else its content. */
    static List<Finding> findings(String spec) {
        List<String> lines = documentLines(spec);
        List<Heading> headings = isHeader(spec) ? bannerHeadings(lines) : markdownHeadings(lines);
        List<Finding> findings = new ArrayList<>();
        headingNaming(headings, XENSTORE_HANDSHAKE, XENSTORE_HEADING)
                .or(() -> describedHandshake(lines))
                .ifPresent(findings::add);
        headingNaming(headings, ABI, ABI_HEADING).ifPresent(findings::add);
        headingNaming(headings, PROTOCOL_OPERATION, PROTOCOL_HEADING).ifPresent(findings::add);
        return findings;
    }

    /** Every C struct definition, in the order of the text. */
    static List<StructLocation> structs(String spec) {
        List<StructLocation> structs = new ArrayList<>();
        Matcher m = C_STRUCT.matcher(spec);
        int line = 1;
        int counted = 0;
        while (m.find()) {
            // Matches come in text order, so lines are counted once over the text, however many structs.
            line += lineBreaks(spec, counted, m.start());
            counted = m.start();
            structs.add(new StructLocation(m.group(1), line));
        }
        return structs;
    }

    /** Every heading's text, lower-cased, in the order of the document. */
    static List<String> headings(String spec) {
        List<String> lines = documentLines(spec);
        List<Heading> headings = isHeader(spec) ? bannerHeadings(lines) : markdownHeadings(lines);
        return headings.stream().map(Heading::text).toList();
    }

    private record Heading(int line, String text) {
    }

    private static Optional<Finding> headingNaming(List<Heading> headings, String section, Pattern words) {
        return headings.stream()
                .filter(h -> words.matcher(h.text()).find())
                .findFirst()
                .map(h -> new Finding(section, h.line(), "heading \"" + h.text() + "\""));
    }

    private static Optional<Finding> describedHandshake(List<String> lines) {
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (!lines.get(i).isBlank() && XENBUS_NODE_NAME.matcher(lines.get(i)).matches()
                    && XENBUS_NODE_VALUES.matcher(lines.get(i + 1)).matches()) {
                return Optional.of(new Finding(XENSTORE_HANDSHAKE, i + 1,
                        "XenBus node " + lines.get(i).trim() + " with its Values"));
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            if (XENSTORE_PATH.matcher(lines.get(i)).find()) {
                return Optional.of(new Finding(XENSTORE_HANDSHAKE, i + 1, "xenstore path"));
            }
        }
        return secondDistinct(lines, XENBUS_STATE, "xenbus states")
                .or(() -> secondDistinct(lines, HANDSHAKE_KEY, "handshake keys"));
    }

    /** The line where the second distinct name matching {@code names} appears, if it does. */
    private static Optional<Finding> secondDistinct(List<String> lines, Pattern names, String what) {
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = names.matcher(lines.get(i));
            while (m.find()) {
                seen.add(m.group());
                if (seen.size() == 2) {
                    return Optional.of(new Finding(XENSTORE_HANDSHAKE, i + 1, what + " " + String.join(", ", seen)));
                }
            }
        }
        return Optional.empty();
    }

    /** Markdown headings; headings inside fenced code blocks and the pandoc title block are not sections. */
    private static List<Heading> markdownHeadings(List<String> lines) {
        List<Heading> headings = new ArrayList<>();
        int first = titleBlockEnd(lines);
        String openFence = null;
        for (int i = first; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
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
            } else if (!line.isBlank() && i + 1 < lines.size() && SETEXT_UNDERLINE.matcher(lines.get(i + 1)).matches()
                    && !line.startsWith("    ") && !FENCE.matcher(lines.get(i + 1)).matches()) {
                headings.add(new Heading(i + 1, lower(line.trim())));
            }
        }
        return headings;
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
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Optional<String> dashed = dashedTitle(line);
            if (dashed.isPresent()) {
                headings.add(new Heading(i + 1, lower(dashed.get())));
            } else if (!line.isBlank() && !RULE.matcher(line).matches() && i > 0 && i + 1 < lines.size()
                    && RULE.matcher(lines.get(i - 1)).matches() && RULE.matcher(lines.get(i + 1)).matches()) {
                headings.add(new Heading(i + 1, lower(line.trim())));
            }
        }
        return headings;
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

    static boolean isHeader(String spec) {
        for (String line : spec.split("\\R", -1)) {
            if (line.isBlank()) {
                continue;
            }
            String start = line.stripLeading();
            return start.startsWith("/*") || start.startsWith("//") || PREPROCESSOR.matcher(start).matches();
        }
        return false;
    }

    /**
     * The document's lines, one per line of the text so that line numbers are the text's: for
     * Markdown the text itself, for a header the text inside its comments (code lines are blank).
     */
    static List<String> documentLines(String spec) {
        List<String> raw = List.of(spec.split("\\R", -1));
        return isHeader(spec) ? CommentText.of(raw) : raw;
    }

    /** The comments of C source, line by line, skipping string and character literals. */
    private static final class CommentText {
        private enum State { CODE, BLOCK, STRING, CHAR }

        static List<String> of(List<String> sourceLines) {
            List<String> out = new ArrayList<>(sourceLines.size());
            State state = State.CODE;
            for (String line : sourceLines) {
                StringBuilder comment = new StringBuilder();
                boolean continuesBlock = state == State.BLOCK;
                int i = 0;
                if (continuesBlock) {
                    Matcher decoration = COMMENT_DECORATION.matcher(line);
                    if (decoration.lookingAt()) {
                        i = decoration.end();
                    }
                }
                while (i < line.length()) {
                    char c = line.charAt(i);
                    char next = i + 1 < line.length() ? line.charAt(i + 1) : '\0';
                    switch (state) {
                        case BLOCK -> {
                            if (c == '*' && next == '/') {
                                state = State.CODE;
                                i++;
                            } else {
                                comment.append(c);
                            }
                        }
                        case STRING, CHAR -> {
                            if (c == '\\') {
                                i++;
                            } else if ((state == State.STRING && c == '"') || (state == State.CHAR && c == '\'')) {
                                state = State.CODE;
                            }
                        }
                        case CODE -> {
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
                        }
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
    private static int lineBreaks(String text, int from, int to) {
        int breaks = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
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
