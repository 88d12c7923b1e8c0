package org.pvlifecycle.proposal.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.pvlifecycle.eventstore.rest.Problem;
import org.pvlifecycle.proposal.domain.Refusal;

import java.util.List;

/** The proposal rules' refusals as problems: unknown 404, invalid 422, every other rule 409. */
public class RefusalMapper {

    @ServerExceptionMapper
    public Response refused(Refusal refusal, UriInfo uri) {
        Problem problem = switch (refusal.reason()) {
            case UNKNOWN -> Problem.of(404, "not-found", "Not found", refusal.getMessage());
            case INVALID -> Problem.of(422, "invalid-request", "Invalid request",
                            refusal.field() + ": " + refusal.getMessage())
                    .withErrors(List.of(new Problem.FieldError(refusal.field(), refusal.getMessage())));
            case ALREADY_EXISTS -> Problem.of(409, "already-exists", "Already exists", refusal.getMessage());
            case NOT_OWNER -> Problem.of(409, "not-the-owner", "Not the owner", refusal.getMessage());
            case CLOSED -> Problem.of(409, "proposal-closed", "Proposal closed", refusal.getMessage());
            case WINDOW_OPEN -> Problem.of(409, "review-window-open", "Review window open", refusal.getMessage());
        };
        return problem.at(uri.getPath()).toResponse();
    }
}
