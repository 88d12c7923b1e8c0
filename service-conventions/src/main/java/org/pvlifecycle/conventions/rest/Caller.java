package org.pvlifecycle.conventions.rest;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is asking: always the token's {@code sub}, never anything the body says (docs/api.md). */
public final class Caller {

    /** The subject of a verified token; a token without one is refused as unauthorized. */
    public static String subject(JsonWebToken token) {
        String subject = token == null ? null : token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "The token names no subject"));
        }
        return subject;
    }

    private Caller() {
    }
}
