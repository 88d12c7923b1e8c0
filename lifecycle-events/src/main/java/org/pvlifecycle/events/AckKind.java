package org.pvlifecycle.events;

/** The kinds of acknowledgement a reviewer gives for one component (docs/rules.md). */
public enum AckKind {
    ACKED_BY, REVIEWED_BY, TESTED_BY
}
