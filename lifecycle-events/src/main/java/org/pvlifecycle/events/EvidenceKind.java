package org.pvlifecycle.events;

/** What a proposal's owner can record as evidence (docs/rules.md, docs/api.md). */
public enum EvidenceKind {
    DESIGN_COMMITTED, PATCHES_POSTED, UPSTREAM_COMMITTED, COMPAT_PROMISES, VERSION_BUMPED
}
