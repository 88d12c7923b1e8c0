package org.pvlifecycle.events;

/** What a proposal's owner can record as evidence (SPEC §1 and §5). */
public enum EvidenceKind {
    DESIGN_COMMITTED, PATCHES_POSTED, UPSTREAM_COMMITTED, COMPAT_PROMISES, VERSION_BUMPED
}
