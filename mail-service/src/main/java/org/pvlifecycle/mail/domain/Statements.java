package org.pvlifecycle.mail.domain;

import org.pvlifecycle.events.ObjectionCategory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a sender states in a message (docs/mail.md): acks, NACKs and a withdrawal, read only from
 * the lines the sender wrote ({@link BodyLines}: not quoted, with {@code >} or below an Outlook-style
 * {@code -----Original Message-----}; not the attribution of a quote, the signature or the list's
 * footer). Quoted text counts for nothing, whoever is quoted.
 *
 * <ul>
 * <li><b>Acks.</b> {@code Acked-by:} and {@code Reviewed-by:} (tag case-insensitive) with
 * {@code Name <address>}: an ack ({@link AckKind#ACKED_BY}, {@link AckKind#REVIEWED_BY}) when the
 * address is the sender's, compared case-insensitively. A trailer for another address, or without
 * one, is {@link Ignored} with the reason: nobody acks for someone else. A comment after the address,
 * {@code # x86} ({@code Acked-by: Jan Beulich <jbeulich@suse.com> # x86}), is the ack's
 * {@linkplain Ack#scope() scope}: which components it names is {@link AckScope}'s rule, applied by
 * {@link MessageDecision}. A {@code #} with nothing after it is no scope.</li>
 * <li><b>NACKs.</b> A line starting with the word {@code NACK} or its other spelling {@code NAK} (any
 * case, standing alone: not {@code NACKs}, {@code NAKED}, {@code Nakamura} or {@code Nak-ed}) or a
 * {@code Nacked-by:} trailer (whose address must be the sender's, as for acks) is an objection by the
 * sender:
 * <ul>
 * <li>{@code category}: the bracketed word right after {@code NACK} or {@code NAK} (a {@code :} between allowed)
 * or after the trailer ({@code NACK [ABI]: ...}), {@link #category read} as a category; none or an unknown word
 * is {@code OTHER};</li>
 * <li>{@code section}: from the nearest quoted diff above the line: the file of the nearest
 * {@code > diff --git a/f b/f}, {@code > +++ b/f} (or {@code > --- a/f} of a deletion) with the
 * nearest hunk header between it and the NACK ({@code f @@ -10,6 +10,9 @@}); a hunk header whose
 * file is not quoted alone; else {@code general}; at most 300 characters;</li>
 * <li>{@code rationale}: the sender's prose ({@link BodyLines.Kind#PROSE}): the rest of the line
 * after the category and a {@code :}, plus the prose lines right under it. A NACK with nothing
 * there takes the sender's prose paragraph below it, else the one above it ("reason. NACK." as
 * much as "NACK. reason."); a {@code Nacked-by:} trailer, written under what it signs, the one above
 * it, else the one below. Only prose counts: a paragraph that starts with a quote's attribution, a
 * sign-off ("Best regards," and the name under it, or a name alone), a trailer, the signature or
 * the list's footer is no reason, so a bare NACK next to nothing else has none. Whether it is long
 * enough is the caller's rule.</li>
 * </ul>
 * A NACK line that says it is withdrawn, retracted or dropped ("NACK withdrawn, v3 addresses my
 * concern.", "NACK retracted.", "NAK dropped.") is a withdrawal, not a NACK.</li>
 * <li><b>Withdrawal.</b> A sentence of the sender's (lines of a paragraph joined, so a wrapped line
 * still counts) in which they say they withdraw their objection now, with {@code withdraw},
 * {@code retract} or {@code drop}: "I withdraw my NACK", "I'm withdrawing my objection", "I hereby
 * withdraw it", "I retract my NACK", "I drop my NACK", "I'm dropping my objection", "NACK withdrawn",
 * "NACK retracted", "NACK dropped", "objection withdrawn", "consider my objection withdrawn",
 * "Consider it withdrawn", "I retract.", or the sentence "Withdrawn." (or "Withdraw.") alone. Not: asking someone
 * else to withdraw something ("Please withdraw this version", "Please drop this patch"), a promise
 * or a condition ("I will withdraw my NACK once ...", "I will drop my NACK once ...", "I'd retract it
 * if ...", "I withdraw my NACK if ..."), a question, or a negation before it in its clause ("I do
 * not consider my objection withdrawn", "I'm not dropping my objection"). {@code drop} counts only
 * with an objection or "it"/"that" as its object ("I drop my NACK", "I'm dropping it."), never alone:
 * a reviewer drops patches and checks too.</li>
 * </ul>
 */
public record Statements(List<Ack> acks, List<Nack> nacks, List<Ignored> ignored, boolean withdraws) {

    public static final String GENERAL = "general";
    public static final int MAX_SECTION_LENGTH = 300;

    /**
     * An ack the sender gave, with its 1-based line in the body and the scope its comment gives
     * ({@code # x86}), if any.
     */
    public record Ack(AckKind kind, String name, String address, int line, Optional<AckScope> scope) {
        /** An ack without a scope: for every component the sender maintains. */
        public Ack(AckKind kind, String name, String address, int line) {
            this(kind, name, address, line, Optional.empty());
        }

        /** The trailer as the sender wrote it, give or take spaces: {@code Acked-by: Name <address> # x86}. */
        public String trailer() {
            String tag = kind == AckKind.ACKED_BY ? "Acked-by" : "Reviewed-by";
            String who = name.isEmpty() ? address : name + " <" + address + ">";
            return tag + ": " + who + scope.map(s -> " # " + s.text()).orElse("");
        }
    }

    /** An objection the sender raised, with its 1-based line in the body. */
    public record Nack(ObjectionCategory category, String section, String rationale, int line) {
    }

    /** A trailer that looked like a statement and does not count, and why. */
    public record Ignored(int line, String text, String reason) {
    }

    private static final Pattern QUOTE_MARKS = Pattern.compile("^(\\s*>)+ ?");
    /* No lazy group before optional spaces anywhere here: those backtrack quadratically on long lines. */
    private static final Pattern ACK = Pattern.compile("^\\s*(acked|reviewed)-by:(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern NACKED_BY = Pattern.compile("^\\s*nacked-by:(.*)$", Pattern.CASE_INSENSITIVE);
    /* NACK, or NAK as many spell it: a word of its own, not the start of "NACKs", "NAKED" or "Nak-ed". */
    private static final Pattern NACK = Pattern.compile("^\\s*nac?k(?![\\w-])(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern PERSON = Pattern.compile("^([^<]*)<\\s*([^<>\\s]+@[^<>\\s]+)\\s*>(.*)$");
    private static final Pattern BARE_ADDRESS = Pattern.compile("^([^<>\\s]+@[^<>\\s]+)(.*)$");
    private static final Pattern CATEGORY_THEN_TEXT = Pattern.compile("^[\\s:,-]*(?:\\[([^\\]]*)\\])?[\\s:,.;!-]*(.*)$",
            Pattern.DOTALL);
    private static final Pattern HUNK = Pattern.compile("^(@@ -\\d+(?:,\\d+)? \\+\\d+(?:,\\d+)? @@)");
    private static final Pattern DIFF_GIT = Pattern.compile("^diff --git a/(\\S+) b/(\\S+)");
    private static final Pattern NEW_FILE = Pattern.compile("^\\+\\+\\+ (?:b/)?(\\S+)");
    private static final Pattern OLD_FILE = Pattern.compile("^--- (?:a/)?(\\S+)");
    /* Said of an objection: it is withdrawn now ("NACK withdrawn", "NACK retracted", "NACK dropped"). */
    private static final String WITHDRAWN = "(?:withdrawn|retracted|dropped)";
    /* The rest of a NACK line that says the NACK is withdrawn: "NACK withdrawn, v3 addresses my concern." */
    private static final Pattern WITHDRAWN_REST = Pattern.compile("^(?:is\\s+)?(?:hereby\\s+|now\\s+)?" + WITHDRAWN + "\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;])\\s+");
    private static final String OBJECTION_WORD = "(?:nack|nak|objection|nacked-by|veto)s?";
    private static final String I_NOW = "\\b(?:I|we)(?:\\s+am|\\s+are|'m|’m|'re|’re)?\\s+(?:(?:hereby|herewith|now|formally)\\s+)*";
    private static final String OF_AN_OBJECTION = "\\s+(?:my|our|the|this|that)\\s+" + OBJECTION_WORD + "\\b"
            + "|\\s+(?:it|that)\\s*(?:[.!,;]|$)";
    /* Each names the sender withdrawing, now; none matches "please withdraw" or "I will withdraw". */
    private static final List<Pattern> WITHDRAWALS = List.of(
            // "I withdraw my NACK", "I'm withdrawing my objection", "I hereby withdraw it", "I withdraw.",
            // "I retract my NACK", "I retract."
            Pattern.compile(I_NOW + "(?:withdraw|retract)(?:ing)?(?:" + OF_AN_OBJECTION + "|\\s*[.!]*$)",
                    Pattern.CASE_INSENSITIVE),
            // "I drop my NACK", "I'm dropping my objection", "I'm dropping it.": never alone, nor "I drop the patch"
            Pattern.compile(I_NOW + "(?:drop|dropping)(?:" + OF_AN_OBJECTION + ")", Pattern.CASE_INSENSITIVE),
            // "NACK withdrawn", "consider my objection withdrawn", "my NACK is hereby retracted", "NACK dropped"
            Pattern.compile("\\b" + OBJECTION_WORD + "(?:\\s*[:-])?\\s+(?:(?:is|are)\\s+)?(?:(?:hereby|now)\\s+)?"
                    + WITHDRAWN + "\\b", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\bconsider\\s+(?:it|this|that)\\s+" + WITHDRAWN + "\\b", Pattern.CASE_INSENSITIVE),
            // "Withdrawn." or "Withdrawn, thanks." opening a sentence; "Withdraw." only alone ("Withdraw, please, v2")
            Pattern.compile("^withdrawn\\b(?:[.!]*$|\\s*,)|^withdraw[.!]*$", Pattern.CASE_INSENSITIVE));
    private static final Pattern NEGATION = Pattern.compile("\\b(?:not|never|no|cannot)\\b|n't\\b|n’t\\b",
            Pattern.CASE_INSENSITIVE);
    /* A withdrawal that waits for something is none yet. */
    private static final Pattern CONDITION = Pattern.compile("\\b(?:if|once|when|unless|until|provided|as soon as)\\b",
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
        BodyLines lines = BodyLines.of(body);
        List<Ack> acks = new ArrayList<>();
        List<Nack> nacks = new ArrayList<>();
        List<Ignored> ignored = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.kind(i).isSenders()) {
                continue;
            }
            String line = lines.line(i);
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
                    acks.add(new Ack(kind, t.name(), t.address(), number, scope(t.rest())));
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
                // A trailer is written under what it signs: its reason is above it first.
                String rationale = rationale(rest.group(2), lines.proseRightAfter(i), lines.paragraphAbove(i),
                        lines.paragraphBelow(i));
                nacks.add(new Nack(category(rest.group(1)), section(lines, i), rationale, number));
            } else if (nack.matches()) {
                Matcher rest = CATEGORY_THEN_TEXT.matcher(nack.group(1));
                rest.matches();
                if (WITHDRAWN_REST.matcher(rest.group(2)).find()) {
                    continue; // "NACK withdrawn, ...": a withdrawal, which withdraws() finds
                }
                // "NACK." then why, or why then "NACK." (and a name under it, which is no prose).
                String rationale = rationale(rest.group(2), lines.proseRightAfter(i), lines.paragraphBelow(i),
                        lines.paragraphAbove(i));
                nacks.add(new Nack(category(rest.group(1)), section(lines, i), rationale, number));
            }
        }
        return new Statements(acks, nacks, ignored, withdraws(lines));
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

    /** The scope of a trailer's comment: what follows a {@code #} after the address ({@code # x86}). */
    private static Optional<AckScope> scope(String rest) {
        String r = rest.strip();
        return r.startsWith("#") ? AckScope.of(r.substring(1)) : Optional.empty();
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

    /**
     * The rest of the statement's line and the prose right under it; when there is none, the first of
     * the two paragraphs next to it that is prose, in the order given.
     */
    private static String rationale(String rest, List<String> rightAfter, List<String> firstChoice,
            List<String> secondChoice) {
        List<String> text = new ArrayList<>();
        if (!rest.isBlank()) {
            text.add(rest.strip());
        }
        text.addAll(rightAfter);
        if (text.isEmpty()) {
            text.addAll(firstChoice.isEmpty() ? secondChoice : firstChoice);
        }
        return String.join("\n", text).strip();
    }

    /** The nearest quoted diff file (and hunk) above the line, else {@code general}. */
    private static String section(BodyLines lines, int at) {
        String hunk = null;
        for (int j = at - 1; j >= 0; j--) {
            if (lines.kind(j) != BodyLines.Kind.QUOTED) {
                continue;
            }
            String quoted = QUOTE_MARKS.matcher(lines.line(j)).replaceFirst("");
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
            } else if (old.find() && !old.group(1).equals("/dev/null") && j + 1 < lines.size()
                    && NEW_FILE.matcher(QUOTE_MARKS.matcher(lines.line(j + 1)).replaceFirst("")).find()) {
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

    /** Whether a sentence of the sender's says they withdraw their objection now. */
    private static boolean withdraws(BodyLines lines) {
        for (String paragraph : sendersParagraphs(lines)) {
            for (String sentence : SENTENCE_END.split(paragraph)) {
                if (isWithdrawal(sentence.strip())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isWithdrawal(String sentence) {
        if (sentence.endsWith("?") || CONDITION.matcher(sentence).find()) {
            return false;
        }
        for (Pattern withdrawal : WITHDRAWALS) {
            Matcher m = withdrawal.matcher(sentence);
            if (m.find()) {
                String before = sentence.substring(0, m.start());
                String clause = before.substring(before.lastIndexOf(',') + 1);
                return !NEGATION.matcher(clause).find();
            }
        }
        return false;
    }

    /** The sender's lines, each run of them (between blank, quoted or other lines) joined into one. */
    private static List<String> sendersParagraphs(BodyLines lines) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i <= lines.size(); i++) {
            if (i < lines.size() && lines.kind(i).isSenders()) {
                current.append(current.isEmpty() ? "" : " ").append(lines.line(i).strip());
            } else if (!current.isEmpty()) {
                paragraphs.add(current.toString());
                current.setLength(0);
            }
        }
        return paragraphs;
    }
}
