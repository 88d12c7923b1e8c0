package org.pvlifecycle.conventions.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.pvlifecycle.events.decider.CommandRefusal;

import java.util.List;

/** Every service's refused commands as problems: not found 404, a field at fault 422, a rule 409. */
public class RefusalMapper {

    @ServerExceptionMapper
    public Response refused(CommandRefusal refusal, UriInfo uri) {
        CommandRefusal.Rule rule = refusal.reason().rule();
        String message = refusal.getMessage();
        Problem problem = switch (rule.kind()) {
            case NOT_FOUND -> Problem.of(404, rule.type(), rule.title(), message);
            case INVALID -> Problem.of(422, rule.type(), rule.title(), refusal.field() + ": " + message)
                    .withErrors(List.of(new Problem.FieldError(refusal.field(), message)));
            case RULE -> Problem.of(409, rule.type(), rule.title(), message);
        };
        if (!refusal.details().isEmpty()) {
            problem = problem.withExtensions(refusal.details());
        }
        return problem.at(uri.getPath()).toResponse();
    }
}
