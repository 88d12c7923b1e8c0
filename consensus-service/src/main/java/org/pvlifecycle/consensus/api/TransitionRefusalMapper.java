package org.pvlifecycle.consensus.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.pvlifecycle.consensus.domain.TransitionRefused;
import org.pvlifecycle.eventstore.rest.Problem;

import java.util.List;
import java.util.Map;

/** Refused transitions as problems; a proposal that is not eligible answers with its blockers. */
public class TransitionRefusalMapper {

    @ServerExceptionMapper
    public Response refused(TransitionRefused refusal, UriInfo uri) {
        Problem problem = switch (refusal.reason()) {
            case UNKNOWN -> Problem.of(404, "not-found", "Not found", refusal.getMessage());
            case RATIONALE_REQUIRED -> Problem.of(422, "invalid-request", "Invalid request",
                            "rationale: " + refusal.getMessage())
                    .withErrors(List.of(new Problem.FieldError("rationale", refusal.getMessage())));
            case NOT_ELIGIBLE -> Problem.of(409, "not-eligible", "Not eligible", refusal.getMessage())
                    .withExtensions(Map.of("blockers", refusal.blockers()));
            case NOT_NEXT_STAGE -> Problem.of(409, "not-the-next-stage", "Not the next stage", refusal.getMessage());
            case CLOSED -> Problem.of(409, "proposal-closed", "Proposal closed", refusal.getMessage());
            case ALREADY_DECIDED -> Problem.of(409, "already-decided", "Already decided", refusal.getMessage());
        };
        return problem.at(uri.getPath()).toResponse();
    }
}
