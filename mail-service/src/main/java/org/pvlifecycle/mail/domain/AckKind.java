package org.pvlifecycle.mail.domain;

/** The acks a sender gives by mail, named as the system's AckKind names them (docs/mail.md). */
public enum AckKind {
    ACKED_BY, REVIEWED_BY
}
