package org.pvlifecycle.conventions.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The safety net for errors that Quarkus answers itself with an empty body (an unknown path, a
 * wrong method, a body it could not read): they become problems too.
 */
public class ProblemResponseFilter {

    @ServerResponseFilter
    public void emptyErrorsBecomeProblems(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || response.hasEntity()) {
            return;
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 400 -> "The request could not be read: the body must be a JSON object of the documented shape";
            case 401 -> "A valid bearer token is required";
            case 404 -> "There is nothing at " + request.getUriInfo().getPath();
            case 405 -> request.getMethod() + " is not allowed on " + request.getUriInfo().getPath();
            case 415 -> ProblemMappers.unsupportedType(request.getMethod(), request.getUriInfo().getPath(),
                    request.getMediaType());
            default -> title;
        };
        Problem problem = Problem.of(status, title.toLowerCase().replace(' ', '-'), title, detail)
                .at(request.getUriInfo().getPath());
        response.setEntity(problem, null, Problem.PROBLEM_JSON);
    }
}
