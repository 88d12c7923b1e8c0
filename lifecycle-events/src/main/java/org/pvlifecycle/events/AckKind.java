package org.pvlifecycle.events;

/** The kinds of acknowledgement a reviewer gives for one component (SPEC §2). */
public enum AckKind {
    ACKED_BY, REVIEWED_BY, TESTED_BY
}
