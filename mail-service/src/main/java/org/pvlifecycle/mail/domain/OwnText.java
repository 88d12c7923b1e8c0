package org.pvlifecycle.mail.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The text a sender wrote in a reply, as the text of an answer or a reaffirmation (docs/mail.md):
 * the body without quoted lines ({@code >}), without the attribution line that introduces a quote
 * ("On 04.03.2026 15:40, Mara Kovac wrote:") and without the signature (from the {@code -- } line
 * on); runs of blank lines become one, and the text is cut at {@value #MAX_LENGTH} characters,
 * the review service's limit for a step's text.
 */
public final class OwnText {
    public static final int MAX_LENGTH = 20000;

    private static final Pattern QUOTED = Pattern.compile("^\\s*>");
    private static final Pattern ATTRIBUTION = Pattern.compile("(?i).*\\b(wrote|writes|schrieb|a écrit)\\s*:\\s*$");

    private OwnText() {
    }

    public static String of(String body) {
        String[] lines = body.split("\\R", -1);
        List<String> own = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.equals("-- ") || line.equals("--")) {
                break;
            }
            if (QUOTED.matcher(line).find() || isAttribution(lines, i)) {
                continue;
            }
            boolean blank = line.isBlank();
            if (blank && (own.isEmpty() || own.get(own.size() - 1).isEmpty())) {
                continue;
            }
            own.add(blank ? "" : line.stripTrailing());
        }
        String text = String.join("\n", own).strip();
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH);
    }

    /** A line ending "wrote:" followed by a quote (blank lines between allowed). */
    private static boolean isAttribution(String[] lines, int at) {
        if (!ATTRIBUTION.matcher(lines[at]).matches()) {
            return false;
        }
        int next = at + 1;
        while (next < lines.length && lines[next].isBlank()) {
            next++;
        }
        return next < lines.length && QUOTED.matcher(lines[next]).find();
    }
}
