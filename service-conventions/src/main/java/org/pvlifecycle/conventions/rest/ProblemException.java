package org.pvlifecycle.conventions.rest;

/**
 * A refusal a resource or a domain decision wants sent as a problem: unknown proposal (404), a
 * rule violation (409), a body the rules refuse (422).
 */
public class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", what + " does not exist"));
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(409, slug, "Conflict with the current state", detail));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(422, "invalid-request", "Invalid request", field + ": " + message)
                .withErrors(java.util.List.of(new Problem.FieldError(field, message))));
    }
}
