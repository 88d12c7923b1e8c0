package org.pvlifecycle.conventions.rest;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is asking: the token's {@code sub}, never anything the body says (docs/api.md#identity). The
 * one exception is the mail gateway, which acts on behalf of the list member whose message caused
 * the command, and must name them (docs/api.md#the-mail-gateway).
 */
public final class Caller {
    /** The role of the mail bridge's token: it may act on behalf of list members. */
    public static final String MAIL_GATEWAY = "mail-gateway";
    /** Person ids are the identity provider's subjects or lower-cased mail addresses: short, no spaces. */
    static final int MAX_PERSON_ID = 200;

    /** The subject of a verified token; a token without one is refused as unauthorized. */
    public static String subject(JsonWebToken token) {
        String subject = token == null ? null : token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "The token names no subject"));
        }
        return subject;
    }

    public static boolean isMailGateway(JsonWebToken token) {
        return token != null && token.getGroups() != null && token.getGroups().contains(MAIL_GATEWAY);
    }

    /**
     * Who a command is for: the token's subject, or for the mail gateway the person it names in the
     * body's {@code actor}. Refused (422 naming {@code actor}) when anyone else names a person, or
     * when the gateway names none or something that is not a person id.
     */
    public static String actor(JsonWebToken token, String onBehalfOf) {
        String subject = subject(token);
        if (!isMailGateway(token)) {
            if (onBehalfOf != null) {
                throw ProblemException.invalid("actor", "only the mail gateway may act on behalf of someone");
            }
            return subject;
        }
        if (onBehalfOf == null) {
            throw ProblemException.invalid("actor", "the mail gateway must name the person it acts for");
        }
        if (onBehalfOf.isEmpty() || onBehalfOf.length() > MAX_PERSON_ID
                || onBehalfOf.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw ProblemException.invalid("actor", "must be a person id: 1 to " + MAX_PERSON_ID
                    + " characters, no whitespace");
        }
        return onBehalfOf;
    }

    private Caller() {
    }
}
