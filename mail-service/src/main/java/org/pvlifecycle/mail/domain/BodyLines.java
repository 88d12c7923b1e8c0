package org.pvlifecycle.mail.domain;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * The lines of a message body, each with what it is (docs/mail.md, "What counts"): the sender's own
 * words, or text that merely sits among them: someone else's quoted message, the line introducing a
 * quote, the signature, the list's footer. {@link Statements} reads statements only from the
 * sender's lines and takes a NACK's reason only from their {@linkplain Kind#PROSE prose};
 * {@link OwnText} keeps the sender's lines.
 *
 * <ul>
 * <li><b>Quoted</b>: a line whose first non-blank character is {@code >}; and everything from the
 * start of an Outlook-style quote to the end: a line {@code -----Original Message-----} (two or
 * more dashes each side, any case, also {@code Forwarded Message}), or a {@code From:} line directly followed by a
 * {@code Sent:}, {@code Date:}, {@code To:}, {@code Cc:} or {@code Subject:} header, with the line of
 * underscores Outlook may draw right above it. Such a reply quotes the whole message it answers,
 * unmarked, below the sender's text.</li>
 * <li><b>Attribution</b>: a line ending {@code wrote:} (or {@code writes:}, ...) followed, after
 * blank lines, by a quoted line, or one that starts {@code On } ("On 04.03.2026 15:40, Mara Kovac
 * wrote:"); also its first half when a mailer wrapped it after the name.</li>
 * <li><b>Signature</b>: from a line {@code -- } (or {@code --}) to the end, quoted lines excepted.</li>
 * <li><b>Footer</b>: from a line of underscores followed by a line naming a {@code mailing list}
 * (what Mailman appends to every xen-devel message, as text or as a part of its own) to the end.</li>
 * <li><b>Trailer</b>: a {@code Something-by:} line, or {@code Cc:}, {@code Fixes:}, {@code Link:},
 * {@code Closes:}: the sender's, but no prose.</li>
 * <li><b>Sign-off</b>: a closing line ("Thanks," "Best regards," "Cheers, Jan") and the rest of its
 * paragraph (the name and affiliation under it), or a paragraph of a single line of at most three
 * capitalised words (a name, "Jan", or a greeting, "Hi Mara,"): the sender's, but no prose.</li>
 * <li><b>Prose</b>: every other line that is not blank.</li>
 * </ul>
 */
final class BodyLines {

    enum Kind {
        BLANK, PROSE, TRAILER, SIGN_OFF, QUOTED, ATTRIBUTION, SIGNATURE, FOOTER;

        /** Whether the sender wrote the line: statements are read from it. */
        boolean isSenders() {
            return this == PROSE || this == TRAILER || this == SIGN_OFF;
        }
    }

    private static final Pattern QUOTE_MARK = Pattern.compile("^\\s*>");
    private static final Pattern ORIGINAL_MESSAGE = Pattern.compile(
            "^\\s*-{2,}\\s*(?:original|forwarded)\\s+message\\s*-{2,}\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER_FROM = Pattern.compile("^\\s*from:\\s*\\S.*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER_AFTER_FROM = Pattern.compile("^\\s*(?:sent|date|to|cc|subject):.*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RULE_OF_UNDERSCORES = Pattern.compile("^\\s*_{10,}\\s*$");
    private static final Pattern MAILING_LIST = Pattern.compile("(?i).*\\bmailing list\\b.*");
    private static final Pattern ATTRIBUTION = Pattern.compile("(?i).*\\b(?:wrote|writes|schrieb|a écrit)\\s*:\\s*$");
    private static final Pattern STARTS_ON = Pattern.compile("^\\s*On\\s.*$");
    private static final Pattern TRAILER = Pattern.compile("^\\s*(?:[a-z][a-z0-9-]*-by|cc|fixes|link|closes):(?:\\s|$)",
            Pattern.CASE_INSENSITIVE);
    /* A sign-off is a short line; longer ones are not tried against the patterns below at all. */
    private static final int SIGN_OFF_MAX_LENGTH = 80;
    private static final String NAME_WORD = "\\p{Lu}[\\p{L}.'’-]*";
    /*
     * On a stripped line: a closing phrase (any case) alone, or followed by a comma and a capitalised
     * name of up to three words: "Thanks," "Best regards," "Cheers, Jan"; not "Thanks for the quick v3".
     */
    private static final Pattern CLOSING = Pattern.compile("(?i:(?:(?:best|kind|warm|many|with\\s+best)\\s+)?"
            + "(?:regards|thanks|thank\\s+you|thx|cheers|greetings|sincerely|br))"
            + "(?:[,.!]*|,\\s*" + NAME_WORD + "(?:\\s+" + NAME_WORD + "){0,2}[.!]?)");
    /* On a stripped line, case-sensitive: a name is capitalised; "see below." is not one. */
    private static final Pattern NAME_ALONE = Pattern.compile(NAME_WORD + "(?:\\s+" + NAME_WORD + "){0,2}[,.!]?");

    private final String[] lines;
    private final Kind[] kinds;

    private BodyLines(String[] lines, Kind[] kinds) {
        this.lines = lines;
        this.kinds = kinds;
    }

    static BodyLines of(String body) {
        String[] lines = body.split("\\R", -1);
        Kind[] kinds = new Kind[lines.length];
        for (int i = 0; i < lines.length; i++) {
            kinds[i] = lines[i].isBlank() ? Kind.BLANK : QUOTE_MARK.matcher(lines[i]).find() ? Kind.QUOTED : Kind.PROSE;
        }
        int outlook = outlookQuoteStart(lines, kinds);
        for (int i = outlook; i < lines.length; i++) {
            kinds[i] = Kind.QUOTED;
        }
        markToTheEnd(lines, kinds, Kind.SIGNATURE, i -> lines[i].equals("-- ") || lines[i].equals("--"));
        markToTheEnd(lines, kinds, Kind.FOOTER, i -> RULE_OF_UNDERSCORES.matcher(lines[i]).matches()
                && i + 1 < lines.length && MAILING_LIST.matcher(lines[i + 1]).matches());
        for (int i = 0; i < lines.length; i++) {
            if (kinds[i] == Kind.PROSE && isAttribution(lines, kinds, i)) {
                kinds[i] = Kind.ATTRIBUTION;
                if (i > 0 && kinds[i - 1] == Kind.PROSE && STARTS_ON.matcher(lines[i - 1]).matches()) {
                    kinds[i - 1] = Kind.ATTRIBUTION; // "On Wed, Mar 04, 2026 at 03:40PM, Mara Kovac" / "wrote:"
                }
            } else if (kinds[i] == Kind.PROSE && TRAILER.matcher(lines[i]).find()) {
                kinds[i] = Kind.TRAILER;
            }
        }
        markSignOffs(lines, kinds);
        return new BodyLines(lines, kinds);
    }

    int size() {
        return lines.length;
    }

    String line(int i) {
        return lines[i];
    }

    Kind kind(int i) {
        return kinds[i];
    }

    boolean isProse(int i) {
        return kinds[i] == Kind.PROSE;
    }

    /** The lines of the sender's prose that start right after line {@code at}, up to the first that is not. */
    List<String> proseRightAfter(int at) {
        int end = at + 1;
        while (end < lines.length && isProse(end)) {
            end++;
        }
        return stripped(at + 1, end);
    }

    /**
     * The sender's paragraph below line {@code at}, past blank lines: empty when the first line there
     * is not prose (a quote and its attribution, a sign-off, a trailer, the footer).
     */
    List<String> paragraphBelow(int at) {
        int start = at + 1;
        while (start < lines.length && kinds[start] == Kind.BLANK) {
            start++;
        }
        return proseRightAfter(start - 1);
    }

    /** The sender's paragraph above line {@code at}, past blank lines: empty when its last line is not prose. */
    List<String> paragraphAbove(int at) {
        int end = at - 1;
        while (end >= 0 && kinds[end] == Kind.BLANK) {
            end--;
        }
        int start = end;
        while (start >= 0 && isProse(start)) {
            start--;
        }
        return stripped(start + 1, end + 1);
    }

    private List<String> stripped(int from, int to) {
        return from >= to ? List.of() : Arrays.stream(lines, from, to).map(String::strip).toList();
    }

    /** Where an Outlook-style quote of the whole answered message starts; the body's length if none. */
    private static int outlookQuoteStart(String[] lines, Kind[] kinds) {
        for (int i = 0; i < lines.length; i++) {
            if (kinds[i] == Kind.QUOTED) {
                continue;
            }
            boolean headers = HEADER_FROM.matcher(lines[i]).matches() && i + 1 < lines.length
                    && HEADER_AFTER_FROM.matcher(lines[i + 1]).matches();
            if (headers) {
                return i > 0 && RULE_OF_UNDERSCORES.matcher(lines[i - 1]).matches() ? i - 1 : i;
            }
            if (ORIGINAL_MESSAGE.matcher(lines[i]).matches()) {
                return i;
            }
        }
        return lines.length;
    }

    private static void markToTheEnd(String[] lines, Kind[] kinds, Kind kind, IntPredicate starts) {
        for (int i = 0; i < lines.length; i++) {
            if (kinds[i].isSenders() && starts.test(i)) {
                for (int j = i; j < lines.length; j++) {
                    if (kinds[j] != Kind.QUOTED) {
                        kinds[j] = kind;
                    }
                }
                return;
            }
        }
    }

    private static boolean isAttribution(String[] lines, Kind[] kinds, int at) {
        if (!ATTRIBUTION.matcher(lines[at]).matches()) {
            return false;
        }
        if (STARTS_ON.matcher(lines[at]).matches()) {
            return true;
        }
        int next = at + 1;
        while (next < lines.length && kinds[next] == Kind.BLANK) {
            next++;
        }
        return next < lines.length && kinds[next] == Kind.QUOTED;
    }

    /**
     * A closing line makes the rest of its paragraph a sign-off; a paragraph that is one short
     * capitalised line is a name or a greeting. Neither explains anything, so neither is a reason.
     */
    private static void markSignOffs(String[] lines, Kind[] kinds) {
        int i = 0;
        while (i < lines.length) {
            if (!kinds[i].isSenders()) {
                i++;
                continue;
            }
            int end = i;
            while (end < lines.length && kinds[end].isSenders()) {
                end++;
            }
            boolean aloneInItsParagraph = end == i + 1;
            if (kinds[i] == Kind.PROSE && aloneInItsParagraph && isShortAnd(NAME_ALONE, lines[i])) {
                kinds[i] = Kind.SIGN_OFF;
            }
            for (int j = i; j < end; j++) {
                if (kinds[j] == Kind.PROSE && isShortAnd(CLOSING, lines[j])) {
                    for (int k = j; k < end; k++) {
                        if (kinds[k] == Kind.PROSE) {
                            kinds[k] = Kind.SIGN_OFF;
                        }
                    }
                    break;
                }
            }
            i = end;
        }
    }

    private static boolean isShortAnd(Pattern pattern, String line) {
        String stripped = line.strip();
        return stripped.length() <= SIGN_OFF_MAX_LENGTH && pattern.matcher(stripped).matches();
    }
}
