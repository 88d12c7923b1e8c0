package org.pvlifecycle.mail.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bracketed prefix of a list subject, read for the proposal it names (docs/mail.md):
 * {@code Re: [PATCH v2 pvcalls-v2 1/3] docs: ...}.
 *
 * <p>Reply and forward markers ({@code Re:}, {@code Fwd:}, {@code AW:}, ...) and bracket groups are
 * taken off the front in any order and number; the rest is the {@code title}. The tokens of the
 * groups (split at spaces and commas) are read as: {@code PATCH}, {@code RFC}, {@code RESEND},
 * {@code RFT}, {@code REPOST}, {@code PULL}, {@code GIT} (and {@code PATCHv2}-style joins) the kind
 * of posting; {@code vN} the series version; {@code n/m} the part; the trees Xen postings name
 * ({@code XEN}, {@code LINUX}, {@code QEMU}, {@code XTF}, {@code OSSTEST}, {@code MINI-OS}) and
 * the old list tag {@code xen-devel} nothing more. Every other token that is an id's shape
 * (lower-cased, {@code [a-z0-9-]{2,40}}, as docs/api.md gives proposal ids) is a candidate
 * proposal id, lower-cased, in order, once each; a token of another shape ({@code for-4.19}) is
 * none. Whether a candidate is a proposal is the caller's question.
 *
 * <p>A series' cover letter ({@link #coverLetter()}) is part 0 of it ({@code [PATCH v2 0/4]},
 * {@code [RFC PATCH v3 00/10]}), as its author posted it: neither a reply nor a forward.
 */
public record SubjectPrefix(boolean reply, boolean forward, List<String> candidateIds, Optional<Integer> version,
        Optional<Integer> part, Optional<Integer> parts, boolean rfc, String title) {

    private static final Pattern MARKER = Pattern.compile(
            "^(re|fwd?|aw|sv|antw|vs)\\s*(\\[\\d+\\]|\\(\\d+\\))?\\s*:\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern KIND = Pattern.compile("(patch|rfc|resend|rft|repost|pull|git)(v(\\d+))?");
    private static final Pattern VERSION = Pattern.compile("v(\\d+)");
    private static final Pattern PART = Pattern.compile("(\\d+)/(\\d+)");
    private static final Pattern ID_SHAPE = Pattern.compile("[a-z0-9-]{2,40}");
    private static final Set<String> NOT_IDS = Set.of("xen", "linux", "qemu", "xtf", "osstest", "mini-os", "xen-devel");

    public SubjectPrefix {
        candidateIds = List.copyOf(candidateIds);
    }

    /**
     * Whether the subject is a series' cover letter as git format-patch numbers it: part 0 of one
     * or more, with no reply or forward marker ({@code Re: [PATCH 0/3]} answers the cover letter,
     * {@code Fwd: [PATCH 0/3]} passes it on: neither is the author's).
     */
    public boolean coverLetter() {
        return !reply && !forward && part.filter(n -> n == 0).isPresent() && parts.filter(n -> n > 0).isPresent();
    }

    public static SubjectPrefix parse(String subject) {
        String rest = subject == null ? "" : subject.strip();
        boolean reply = false;
        boolean forward = false;
        List<String> tokens = new ArrayList<>();
        while (true) {
            Matcher marker = MARKER.matcher(rest);
            if (marker.lookingAt()) {
                boolean fw = marker.group(1).toLowerCase(Locale.ROOT).startsWith("fw");
                forward |= fw;
                reply |= !fw; // every other marker answers
                rest = rest.substring(marker.end());
                continue;
            }
            int close = rest.indexOf(']');
            if (rest.startsWith("[") && close > 0) {
                for (String token : rest.substring(1, close).split("[\\s,]+")) {
                    if (!token.isEmpty()) {
                        tokens.add(token);
                    }
                }
                rest = rest.substring(close + 1).stripLeading();
                continue;
            }
            break;
        }

        List<String> ids = new ArrayList<>();
        Integer version = null;
        Integer part = null;
        Integer parts = null;
        boolean rfc = false;
        for (String token : tokens) {
            String t = token.toLowerCase(Locale.ROOT);
            Matcher kind = KIND.matcher(t);
            Matcher v = VERSION.matcher(t);
            Matcher p = PART.matcher(t);
            if (kind.matches()) {
                rfc |= kind.group(1).equals("rfc");
                if (kind.group(3) != null) {
                    version = Integer.valueOf(kind.group(3));
                }
            } else if (v.matches()) {
                version = Integer.valueOf(v.group(1));
            } else if (p.matches()) {
                part = Integer.valueOf(p.group(1));
                parts = Integer.valueOf(p.group(2));
            } else if (ID_SHAPE.matcher(t).matches() && !NOT_IDS.contains(t) && !ids.contains(t)) {
                ids.add(t);
            }
        }
        return new SubjectPrefix(reply, forward, ids, Optional.ofNullable(version), Optional.ofNullable(part),
                Optional.ofNullable(parts), rfc, rest.strip());
    }
}
