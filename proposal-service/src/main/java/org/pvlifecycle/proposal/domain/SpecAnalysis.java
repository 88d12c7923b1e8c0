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
        List<String> lines = SpecText.documentLines(spec);
        List<SpecText.Heading> headings = SpecText.headings(spec, lines);
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
        // The same matches as C_STRUCT's find(), but tried only where "struct" occurs: find() tried
        // the pattern at every character of the text, a tenth of a revision's time on a 37 KB spec.
        Matcher m = C_STRUCT.matcher(spec).useTransparentBounds(true).useAnchoringBounds(false);
        int line = 1;
        int counted = 0;
        int from = 0;
        for (int at = spec.indexOf("struct"); at >= 0; at = spec.indexOf("struct", from)) {
            m.region(at, spec.length());
            if (!m.lookingAt()) {
                from = at + 1;
                continue;
            }
            // Matches come in text order, so lines are counted once over the text, however many structs.
            line += SpecText.lineBreaks(spec, counted, at);
            counted = at;
            structs.add(new StructLocation(m.group(1), line));
            from = m.end();
        }
        return structs;
    }

    /** Every heading's text, lower-cased, in the order of the document. */
    static List<String> headings(String spec) {
        List<String> lines = SpecText.documentLines(spec);
        List<SpecText.Heading> headings = SpecText.headings(spec, lines);
        return headings.stream().map(SpecText.Heading::text).toList();
    }

    private static Optional<Finding> headingNaming(List<SpecText.Heading> headings, String section, Pattern words) {
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

}
