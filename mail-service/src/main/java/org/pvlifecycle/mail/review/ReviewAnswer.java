package org.pvlifecycle.mail.review;

import com.fasterxml.jackson.databind.JsonNode;

/** How the review service answered one command. */
public sealed interface ReviewAnswer {

    /** 2xx, with its body ({@code null} for a 204). */
    record Done(int status, JsonNode body) implements ReviewAnswer {
    }

    /** The review service refuses the command itself (400, 409, 422): sending it again would not help. */
    record Refused(int status, String detail) implements ReviewAnswer {
    }

    /**
     * No answer that settles it: the service is away, overloaded, does not know the proposal yet
     * (404), or does not accept the gateway's token. {@code mayHaveApplied} is true when the command
     * may have reached it and taken effect although no answer came back (a timeout, a connection
     * cut, a 500), so that a retry must first look whether it did. {@code status} is the HTTP
     * status, 0 when none came.
     */
    record Unavailable(String why, boolean mayHaveApplied, int status) implements ReviewAnswer {
    }
}
