package org.pvlifecycle.review.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.pvlifecycle.eventstore.rest.Problem;
import org.pvlifecycle.review.domain.ReviewRefusal;

import java.util.List;

/** The review rules' refusals as problems: unknown 404, invalid 422, every other rule 409. */
public class ReviewRefusalMapper {

    @ServerExceptionMapper
    public Response refused(ReviewRefusal refusal, UriInfo uri) {
        Problem problem = switch (refusal.reason()) {
            case UNKNOWN -> Problem.of(404, "not-found", "Not found", refusal.getMessage());
            case INVALID -> Problem.of(422, "invalid-request", "Invalid request",
                            refusal.field() + ": " + refusal.getMessage())
                    .withErrors(List.of(new Problem.FieldError(refusal.field(), refusal.getMessage())));
            case CLOSED -> Problem.of(409, "proposal-closed", "Proposal closed", refusal.getMessage());
            case NOT_ALLOWED -> Problem.of(409, "not-allowed", "Not yours to do", refusal.getMessage());
            case WRONG_STATUS -> Problem.of(409, "wrong-status", "Not in that state", refusal.getMessage());
        };
        return problem.at(uri.getPath()).toResponse();
    }
}
