package org.pvlifecycle.eventstore;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.pvlifecycle.conventions.rest.Problem;

/** A command that lost its race with another one on the same aggregate, as REST answers it. */
public class ConcurrencyConflictMapper {

    @ServerExceptionMapper
    public Response conflict(ConcurrencyConflict e, UriInfo uri) {
        return Problem.of(409, "concurrent-change", "Changed concurrently",
                        "The proposal changed while this request was decided; read it again and retry")
                .at(uri.getPath()).toResponse();
    }
}
