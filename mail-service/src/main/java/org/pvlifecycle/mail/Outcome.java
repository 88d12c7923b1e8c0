package org.pvlifecycle.mail;

/**
 * What became of a received message (docs/api.md#mail-service-8086): {@code PENDING} while its
 * actions are being applied or wait for the review service, then {@code APPLIED}; or, at once,
 * {@code IGNORED}, {@code REJECTED} or, for a message seen before, {@code DUPLICATE}. A message
 * whose actions the review service refuses ends {@code REJECTED} too, with the acks it had given
 * taken back.
 */
public enum Outcome {
    PENDING, APPLIED, IGNORED, REJECTED, DUPLICATE
}
