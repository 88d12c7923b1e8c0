package org.pvlifecycle.systemtests;

/** How a request ended, as far as the client can tell. */
enum Outcome {
    /** 2xx: the service acknowledged the command; its events must be stored and applied. */
    ACCEPTED("accepted"),
    /** 409: refused by a rule or a lost race; nothing stored. */
    CONFLICT("409"),
    /** 503: a dependency is down; nothing stored, try again later. */
    UNAVAILABLE("503"),
    /** Any other 4xx; nothing stored. */
    REJECTED("4xx"),
    /** 5xx other than 503: never allowed. */
    SERVER_ERROR("5xx"),
    /** The connection was refused: the request never reached a service. */
    REFUSED("refused"),
    /** No answer in time: the command may or may not have been stored. */
    TIMEOUT("timeout"),
    /** The connection broke after the request was sent: the command may or may not have been stored. */
    CUT("cut");

    final String label;

    Outcome(String label) {
        this.label = label;
    }

    /** The client does not know whether the command took effect. */
    boolean unknown() {
        return this == TIMEOUT || this == CUT;
    }

    static Outcome ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return ACCEPTED;
        }
        if (status == 409) {
            return CONFLICT;
        }
        if (status == 503) {
            return UNAVAILABLE;
        }
        return status >= 500 ? SERVER_ERROR : REJECTED;
    }
}
