package org.pvlifecycle.events;

/**
 * The per-kind detail of a piece of evidence (docs/api.md). Only the fields of the evidence's kind are
 * set: {@code list} for PATCHES_POSTED, {@code repository} for UPSTREAM_COMMITTED,
 * {@code backward} and {@code crossPlatform} for COMPAT_PROMISES, {@code version} for VERSION_BUMPED,
 * none for DESIGN_COMMITTED.
 */
public record EvidenceDetail(
        String list,
        String repository,
        String backward,
        String crossPlatform,
        Integer version) {

    public static EvidenceDetail none() {
        return new EvidenceDetail(null, null, null, null, null);
    }
}
