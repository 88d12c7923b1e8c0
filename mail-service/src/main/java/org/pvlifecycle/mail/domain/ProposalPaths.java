package org.pvlifecycle.mail.domain;

import java.util.Collection;

/**
 * Whether a proposal's paths ({@code paths[]}, docs/api.md) cover a path a message touches
 * (docs/mail.md). The database's pre-selection and the decision both ask here, so that they
 * agree.
 *
 * <ul>
 * <li>A whole path is covered by a proposal path equal to it, or by one ending in {@code /} above
 * it ({@code docs/misc/} covers {@code docs/misc/pvcalls.pandoc}).</li>
 * <li>A path git shortened in a cover letter's diffstat ({@link Diffstat},
 * {@code .../public/io/pvcalls.h}) is known only by its tail: some part git cut off, never empty,
 * then {@code /public/io/pvcalls.h}. A proposal path ending with that tail covers it
 * ({@code xen/include/public/io/pvcalls.h}; not {@code public/io/pvcalls.h}, which leaves nothing
 * for the part cut off). A directory path covers it when its last components are the tail's first
 * ones ({@code xen/include/public/} and {@code xen/include/public/io/}): the path is under it if
 * the part cut off is the rest of the directory. A directory sharing no component with the tail
 * ({@code xen/}) does not cover it, though the path may well be under it: the part cut off could be
 * anything, and "could be under" with nothing to go on would tie the cover letter to every
 * proposal with a directory, which, ambiguous, would then tie it to none of them.</li>
 * </ul>
 * A path beginning {@code .../} is read as shortened wherever it comes from: a repository has no
 * directory named {@code ...} (xen.git has none).
 */
public final class ProposalPaths {
    /** What git writes in place of the part of a path it cut off to fit a diffstat's width. */
    public static final String CUT = "...";

    private ProposalPaths() {
    }

    /** Whether any of a proposal's paths covers {@code touched}. */
    public static boolean covers(Collection<String> proposalPaths, String touched) {
        return proposalPaths.stream().anyMatch(p -> covers(p, touched));
    }

    public static boolean covers(String proposalPath, String touched) {
        if (!isShortened(touched)) {
            return proposalPath.equals(touched) || (proposalPath.endsWith("/") && touched.startsWith(proposalPath));
        }
        String tail = tail(touched);
        if (!proposalPath.endsWith("/")) {
            return proposalPath.endsWith(tail);
        }
        for (int slash = tail.indexOf('/', 1); slash > 0; slash = tail.indexOf('/', slash + 1)) {
            if (proposalPath.endsWith(tail.substring(0, slash + 1))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code path} is one git shortened: {@code ...} then a {@code /} and more. */
    public static boolean isShortened(String path) {
        return path.startsWith(CUT + "/") && path.length() > CUT.length() + 1;
    }

    /** What is known of a shortened path: from its first {@code /} on ({@code /public/io/pvcalls.h}). */
    public static String tail(String shortened) {
        return shortened.substring(CUT.length());
    }
}
