package org.pvlifecycle.proposal.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What docs/rules.md asks of a spec revision, read from its Markdown: the three required sections, found
 * by headings (ATX {@code #..######} or setext, any level, outside code fences) that contain the
 * whole word {@code xenstore}, {@code abi} and {@code protocol}, case-insensitively; and the
 * warning against describing the protocol with C structs (in code fences or not).
 */
public record SpecAnalysis(List<String> missingSections, List<String> warnings) {

    public static final String XENSTORE_HANDSHAKE = "xenstore handshake";
    public static final String ABI = "ABI";
    public static final String PROTOCOL_OPERATION = "protocol operation";
    public static final String C_STRUCTS_DISCOURAGED = "C_STRUCTS_DISCOURAGED";

    private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}(?:\\s+(.*?))?\\s*#*\\s*$");
    private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^ {0,3}(=+|-+)\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*$");
    private static final Pattern XENSTORE = Pattern.compile("\\bxenstore\\b");
    private static final Pattern ABI_WORD = Pattern.compile("\\babi\\b");
    private static final Pattern PROTOCOL = Pattern.compile("\\bprotocol\\b");
    /** {@code struct name {} or {@code struct {}, the brace possibly on a later line. */
    private static final Pattern C_STRUCT = Pattern.compile("\\bstruct(?:\\s+[A-Za-z_]\\w*)?\\s*\\{");

    public static SpecAnalysis of(String markdown) {
        List<String> headings = headings(markdown);
        List<String> missing = new ArrayList<>();
        if (headings.stream().noneMatch(h -> XENSTORE.matcher(h).find())) {
            missing.add(XENSTORE_HANDSHAKE);
        }
        if (headings.stream().noneMatch(h -> ABI_WORD.matcher(h).find())) {
            missing.add(ABI);
        }
        if (headings.stream().noneMatch(h -> PROTOCOL.matcher(h).find())) {
            missing.add(PROTOCOL_OPERATION);
        }
        List<String> warnings = new ArrayList<>();
        if (C_STRUCT.matcher(markdown).find()) {
            warnings.add(C_STRUCTS_DISCOURAGED);
        }
        return new SpecAnalysis(List.copyOf(missing), List.copyOf(warnings));
    }

    /** Every heading's text, lower-cased; headings inside fenced code blocks are not headings. */
    static List<String> headings(String markdown) {
        List<String> headings = new ArrayList<>();
        String[] lines = markdown.split("\\R", -1);
        String openFence = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
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
            Matcher atx = ATX_HEADING.matcher(line);
            if (atx.matches()) {
                headings.add(atx.group(1) == null ? "" : atx.group(1).toLowerCase(Locale.ROOT));
            } else if (!line.isBlank() && i + 1 < lines.length && SETEXT_UNDERLINE.matcher(lines[i + 1]).matches()
                    && !line.startsWith("    ")) {
                headings.add(line.trim().toLowerCase(Locale.ROOT));
            }
        }
        return headings;
    }
}
