package org.pvlifecycle.conventions.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.pvlifecycle.conventions.DependencyDown;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every error of every service as {@code application/problem+json} (docs/api.md): malformed JSON 400,
 * invalid fields 422 naming each field, unknown 404, rule violations and lost races 409, missing
 * or bad token 401, wrong role 403, the database (or Kafka) unreachable 503 with
 * {@code Retry-After}. Nothing a client sends can produce a 500.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** A database restart takes seconds; a client that waits this long usually finds it back. */
    static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return e.problem().at(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .collect(Collectors.toList());
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return Problem.of(422, "invalid-request", "Invalid request", detail).withErrors(errors).at(uri.getPath())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonParseException e, UriInfo uri) {
        return Problem.of(400, "malformed-json", "Malformed JSON", "The body is not valid JSON: " + e.getOriginalMessage())
                .at(uri.getPath()).toResponse();
    }

    /** Quarkus has its own (non-problem) answer for this one; ours is more specific to the client. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response wrongValue(MismatchedInputException e, UriInfo uri) {
        return wrongShape(e, uri);
    }

    @ServerExceptionMapper
    public Response wrongShape(JsonMappingException e, UriInfo uri) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (field.isEmpty()) {
            return Problem.of(400, "malformed-json", "Malformed JSON", "The body does not have the expected shape")
                    .at(uri.getPath()).toResponse();
        }
        String message = "has the wrong type or value";
        if (e instanceof NoNulCharacters.NulInText) {
            message = NoNulCharacters.MESSAGE;
        } else if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            message = "must be one of " + Arrays.toString(format.getTargetType().getEnumConstants());
        }
        return Problem.of(422, "invalid-request", "Invalid request", field + ": " + message)
                .withErrors(List.of(new Problem.FieldError(field, message))).at(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(Problem.of(401, "unauthorized", "Unauthorized",
                                "A valid bearer token is required")
                        .at(uri.getPath()).toResponse())
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.of(403, "forbidden", "Forbidden", "Your roles do not allow this")
                .at(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, Request request, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        String detail = status == 415 ? unsupportedType(request.getMethod(), uri.getPath(), headers.getMediaType())
                : e.getMessage();
        return Problem.of(status, title.toLowerCase().replace(' ', '-'), title, detail).at(uri.getPath()).toResponse();
    }

    /**
     * The detail of a 415. It names what was sent; what the endpoint takes is in its OpenAPI
     * document (most take application/json; a few text/plain, message/rfc822 or application/mbox).
     */
    static String unsupportedType(String method, String path, MediaType sent) {
        return (sent == null ? "A body without a Content-Type" : "A body of type " + sent.getType() + "/"
                + sent.getSubtype()) + " is not taken by " + method + " " + path + ": /q/openapi names the type it takes";
    }

    /**
     * Everything else, including what is thrown without being an exception: Vert.x's SQL client
     * fails a statement on a connection gone away with a bare {@code Throwable}, which a mapper of
     * {@code Exception} would leave to Quarkus's own (non-problem) 500 page.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (DependencyDown.is(e)) {
            return unavailable(e, uri.getPath());
        }
        LOG.error("unexpected failure serving " + uri.getPath(), e);
        return Problem.of(500, "internal-error", "Internal error", "The service failed; the failure is logged")
                .at(uri.getPath()).toResponse();
    }

    /**
     * PostgreSQL (or Kafka, for what reads it) cannot be reached: a 503 the client may retry,
     * with {@code Retry-After}, instead of a 500. The readiness check reports the same meanwhile.
     */
    public static Response unavailable(Throwable e, String path) {
        LOG.warnf("a dependency is unavailable while serving %s: %s", path, rootMessage(e));
        return Response.fromResponse(Problem.of(503, "service-unavailable", "Service unavailable",
                                "A service this request needs cannot be reached right now; try again shortly")
                        .at(path).toResponse())
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * The field at fault, as the client named it: the body's properties dotted
     * ({@code detail.list}), or the query or path parameter's name.
     */
    static String fieldName(ConstraintViolation<?> violation) {
        String parameter = null;
        StringBuilder property = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.CONTAINER_ELEMENT && node.getIndex() != null) {
                property.append('[').append(node.getIndex()).append(']');
            } else if (node.getKind() == ElementKind.PROPERTY) {
                if (property.length() > 0) {
                    property.append('.');
                }
                property.append(node.getName());
                if (node.getIndex() != null) {
                    property.append('[').append(node.getIndex()).append(']');
                }
            }
        }
        if (property.length() > 0) {
            return property.toString();
        }
        return parameter == null ? "body" : parameter;
    }
}
