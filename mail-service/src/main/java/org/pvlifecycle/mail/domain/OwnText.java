package org.pvlifecycle.mail.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The text a sender wrote in a reply, as the text of an answer or a reaffirmation (docs/mail.md):
 * the sender's lines ({@link BodyLines.Kind#isSenders()}): not quoted lines ({@code >}, or an
 * Outlook-style quote from {@code -----Original Message-----} on), not the attribution line that
 * introduces a quote ("On 04.03.2026 15:40, Mara Kovac wrote:"), not the signature (from the
 * {@code -- } line on) nor the list's footer; runs of blank lines become one, and the text is cut at
 * {@value #MAX_LENGTH} characters, the review service's limit for a step's text.
 */
public final class OwnText {
    public static final int MAX_LENGTH = 20000;

    private OwnText() {
    }

    public static String of(String body) {
        BodyLines lines = BodyLines.of(body);
        List<String> own = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            BodyLines.Kind kind = lines.kind(i);
            if (kind == BodyLines.Kind.BLANK) {
                if (!own.isEmpty() && !own.get(own.size() - 1).isEmpty()) {
                    own.add("");
                }
            } else if (kind.isSenders()) {
                own.add(lines.line(i).stripTrailing());
            }
        }
        String text = String.join("\n", own).strip();
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH);
    }
}
