package org.pvlifecycle.mail.domain;

import org.pvlifecycle.events.ObjectionCategory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a sender states in a message (docs/mail.md): acks, NACKs and a withdrawal, read only from
 * the lines the sender wrote. A line whose first non-blank character is {@code >} is quoted, and
 * counts for nothing, whoever is quoted.
 *
 * <ul>
 * <li><b>Acks.</b> {@code Acked-by:} and {@code Reviewed-by:} (tag case-insensitive) with
 * {@code Name <address>}: an ack ({@link AckKind#ACKED_BY}, {@link AckKind#REVIEWED_BY}) when the
 * address is the sender's, compared case-insensitively. A trailer for another address, or without
 * one, is {@link Ignored} with the reason: nobody acks for someone else.</li>
 * <li><b>NACKs.</b> A line starting with the word {@code NACK} (any case, not {@code NACKs}) or a
 * {@code Nacked-by:} trailer (whose address must be the sender's, as for acks) is an objection by the
 * sender:
 * <ul>
 * <li>{@code category}: the bracketed word right after {@code NACK} (a {@code :} between allowed)
 * or after the trailer ({@code NACK [ABI]: ...}), {@link #category read} as a category; none or an unknown word
 * is {@code OTHER};</li>
 * <li>{@code section}: from the nearest quoted diff above the line: the file of the nearest
 * {@code > diff --git a/f b/f}, {@code > +++ b/f} (or {@code > --- a/f} of a deletion) with the
 * nearest hunk header between it and the NACK ({@code f @@ -10,6 +10,9 @@}); a hunk header whose
 * file is not quoted alone; else {@code general}; at most 300 characters;</li>
 * <li>{@code rationale}: the sender's own text: the rest of the line after the category and a
 * {@code :}, plus the lines of the sender's that follow it up to a blank or quoted line; when that is
 * empty, the sender's next paragraph; for a {@code Nacked-by:} trailer with nothing after it, the
 * sender's paragraph right above the trailer. Whether it is long enough is the caller's rule.</li>
 * </ul></li>
 * <li><b>Withdrawal.</b> {@code withdraw} (or {@code withdraws}, {@code withdrawing}; any case) in a
 * line of the sender's, with no negation ({@code not}, {@code never}, {@code n't}, {@code cannot},
 * {@code no}) before it in its sentence: "I withdraw my NACK" withdraws, "I do not withdraw it" does
 * not.</li>
 * </ul>
 */
public record Statements(List<Ack> acks, List<Nack> nacks, List<Ignored> ignored, boolean withdraws) {

    public static final String GENERAL = "general";
    public static final int MAX_SECTION_LENGTH = 300;

    /** An ack the sender gave, with its 1-based line in the body. */
    public record Ack(AckKind kind, String name, String address, int line) {
    }

    /** An objection the sender raised, with its 1-based line in the body. */
    public record Nack(ObjectionCategory category, String section, String rationale, int line) {
    }

    /** A trailer that looked like a statement and does not count, and why. */
    public record Ignored(int line, String text, String reason) {
    }

    private static final Pattern QUOTED = Pattern.compile("^\\s*>");
    private static final Pattern QUOTE_MARKS = Pattern.compile("^(\\s*>)+ ?");
    /* No lazy group before optional spaces anywhere here: those backtrack quadratically on long lines. */
    private static final Pattern ACK = Pattern.compile("^\\s*(acked|reviewed)-by:(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern NACKED_BY = Pattern.compile("^\\s*nacked-by:(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern NACK = Pattern.compile("^\\s*nack(?![\\w-])(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern PERSON = Pattern.compile("^([^<]*)<\\s*([^<>\\s]+@[^<>\\s]+)\\s*>(.*)$");
    private static final Pattern BARE_ADDRESS = Pattern.compile("^([^<>\\s]+@[^<>\\s]+)(.*)$");
    private static final Pattern CATEGORY_THEN_TEXT = Pattern.compile("^[\\s:,-]*(?:\\[([^\\]]*)\\])?[\\s:,.;!-]*(.*)$",
            Pattern.DOTALL);
    private static final Pattern HUNK = Pattern.compile("^(@@ -\\d+(?:,\\d+)? \\+\\d+(?:,\\d+)? @@)");
    private static final Pattern DIFF_GIT = Pattern.compile("^diff --git a/(\\S+) b/(\\S+)");
    private static final Pattern NEW_FILE = Pattern.compile("^\\+\\+\\+ (?:b/)?(\\S+)");
    private static final Pattern OLD_FILE = Pattern.compile("^--- (?:a/)?(\\S+)");
    private static final Pattern WITHDRAW = Pattern.compile("\\bwithdraw(?:s|ing)?\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern NEGATION = Pattern.compile("\\b(?:not|never|no|cannot)\\b|n't\\b|n’t\\b",
            Pattern.CASE_INSENSITIVE);

    public Statements {
        acks = List.copyOf(acks);
        nacks = List.copyOf(nacks);
        ignored = List.copyOf(ignored);
    }

    public static Statements of(MailMessage message) {
        return of(message.body(), message.from().address());
    }

    public static Statements of(String body, String senderAddress) {
        String sender = senderAddress.strip().toLowerCase(Locale.ROOT);
        String[] lines = body.split("\\R", -1);
        List<Ack> acks = new ArrayList<>();
        List<Nack> nacks = new ArrayList<>();
        List<Ignored> ignored = new ArrayList<>();
        boolean withdraws = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (isQuoted(line)) {
                continue;
            }
            int number = i + 1;
            Matcher ack = ACK.matcher(line);
            Matcher nackedBy = NACKED_BY.matcher(line);
            Matcher nack = NACK.matcher(line);
            if (ack.matches()) {
                AckKind kind = ack.group(1).equalsIgnoreCase("acked") ? AckKind.ACKED_BY : AckKind.REVIEWED_BY;
                Trailer t = trailer(ack.group(2).strip());
                String problem = t.problemFor(sender);
                if (problem != null) {
                    ignored.add(new Ignored(number, line.strip(), problem));
                } else {
                    acks.add(new Ack(kind, t.name(), t.address(), number));
                }
            } else if (nackedBy.matches()) {
                Trailer t = trailer(nackedBy.group(1).strip());
                String problem = t.problemFor(sender);
                if (problem != null) {
                    ignored.add(new Ignored(number, line.strip(), problem));
                    continue;
                }
                Matcher rest = CATEGORY_THEN_TEXT.matcher(t.rest());
                rest.matches();
                String rationale = rationaleAfter(lines, i, rest.group(2));
                if (rationale.isEmpty()) {
                    rationale = paragraphAbove(lines, i);
                }
                nacks.add(new Nack(category(rest.group(1)), section(lines, i), rationale, number));
            } else if (nack.matches()) {
                Matcher rest = CATEGORY_THEN_TEXT.matcher(nack.group(1));
                rest.matches();
                nacks.add(new Nack(category(rest.group(1)), section(lines, i),
                        rationaleAfter(lines, i, rest.group(2)), number));
            }
            withdraws |= withdraws(line);
        }
        return new Statements(acks, nacks, ignored, withdraws);
    }

    /**
     * The category a bracketed word names, case-insensitively, with spaces or dashes for
     * underscores; {@code OTHER} for none or a word that names no category (docs/mail.md).
     */
    public static ObjectionCategory category(String word) {
        if (word == null || word.isBlank()) {
            return ObjectionCategory.OTHER;
        }
        String name = word.strip().toUpperCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
        for (ObjectionCategory c : ObjectionCategory.values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return ObjectionCategory.OTHER;
    }

    private record Trailer(String name, String address, String rest) {
        String problemFor(String sender) {
            if (address.isEmpty()) {
                return "no address: a trailer counts only with the sender's own address";
            }
            if (!address.equals(sender)) {
                return "for " + address + ", not the sender " + sender + ": only the sender's own trailer counts";
            }
            return null;
        }
    }

    private static Trailer trailer(String value) {
        Matcher person = PERSON.matcher(value);
        if (person.matches()) {
            return new Trailer(person.group(1).strip().replaceAll("^\"|\"$", "").strip(),
                    person.group(2).toLowerCase(Locale.ROOT), person.group(3));
        }
        Matcher bare = BARE_ADDRESS.matcher(value);
        if (bare.matches()) {
            return new Trailer("", bare.group(1).toLowerCase(Locale.ROOT), bare.group(2));
        }
        return new Trailer(value, "", "");
    }

    private static boolean isQuoted(String line) {
        return QUOTED.matcher(line).find();
    }

    /** The rest of the line and the sender's lines after it; else the sender's next paragraph. */
    private static String rationaleAfter(String[] lines, int at, String rest) {
        List<String> text = new ArrayList<>();
        if (!rest.isBlank()) {
            text.add(rest.strip());
        }
        int j = at + 1;
        while (j < lines.length && !lines[j].isBlank() && !isQuoted(lines[j])) {
            text.add(lines[j].strip());
            j++;
        }
        if (text.isEmpty()) {
            while (j < lines.length && lines[j].isBlank()) {
                j++;
            }
            while (j < lines.length && !lines[j].isBlank() && !isQuoted(lines[j])) {
                text.add(lines[j].strip());
                j++;
            }
        }
        return String.join("\n", text).strip();
    }

    /** The sender's paragraph right above the line (blank lines between skipped). */
    private static String paragraphAbove(String[] lines, int at) {
        int j = at - 1;
        while (j >= 0 && lines[j].isBlank()) {
            j--;
        }
        int end = j;
        while (j >= 0 && !lines[j].isBlank() && !isQuoted(lines[j])) {
            j--;
        }
        List<String> text = new ArrayList<>();
        for (int k = j + 1; k <= end; k++) {
            text.add(lines[k].strip());
        }
        return String.join("\n", text).strip();
    }

    /** The nearest quoted diff file (and hunk) above the line, else {@code general}. */
    private static String section(String[] lines, int at) {
        String hunk = null;
        for (int j = at - 1; j >= 0; j--) {
            if (!isQuoted(lines[j])) {
                continue;
            }
            String quoted = QUOTE_MARKS.matcher(lines[j]).replaceFirst("");
            Matcher h = HUNK.matcher(quoted);
            if (h.find()) {
                if (hunk == null) {
                    hunk = h.group(1);
                }
                continue;
            }
            String file = null;
            Matcher git = DIFF_GIT.matcher(quoted);
            Matcher neu = NEW_FILE.matcher(quoted);
            Matcher old = OLD_FILE.matcher(quoted);
            if (git.find()) {
                file = git.group(2);
            } else if (neu.find() && !neu.group(1).equals("/dev/null")) {
                file = neu.group(1);
            } else if (old.find() && !old.group(1).equals("/dev/null") && j + 1 < lines.length
                    && NEW_FILE.matcher(QUOTE_MARKS.matcher(lines[j + 1]).replaceFirst("")).find()) {
                file = old.group(1);
            }
            if (file != null) {
                return cut(hunk == null ? file : file + " " + hunk);
            }
        }
        return hunk == null ? GENERAL : hunk;
    }

    private static String cut(String section) {
        return section.length() <= MAX_SECTION_LENGTH ? section : section.substring(0, MAX_SECTION_LENGTH);
    }

    private static boolean withdraws(String line) {
        Matcher m = WITHDRAW.matcher(line);
        while (m.find()) {
            String before = line.substring(0, m.start());
            int sentence = Math.max(before.lastIndexOf('.'), Math.max(before.lastIndexOf('!'), before.lastIndexOf('?')));
            if (!NEGATION.matcher(before.substring(sentence + 1)).find()) {
                return true;
            }
        }
        return false;
    }
}
