package org.pvlifecycle.conventions.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Text with the NUL character (U+0000) is refused where it comes in. PostgreSQL's text cannot hold
 * it, so an id, a search or a title carrying one failed at the database: a 500 for bad input, or,
 * for a title accepted into an event, a consumer that could not store what it read. Now a JSON
 * body's string is a 422 naming its field, and the path or a query parameter a 400 naming it.
 */
@Singleton
public class NoNulCharacters implements ObjectMapperCustomizer {
    static final String MESSAGE = "must not contain the NUL character (U+0000)";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("no-nul-characters").addDeserializer(String.class, new Strings()));
    }

    /**
     * The decoded path and query parameters of every request, before any resource reads them: one
     * filter rather than a check in each resource, so that no endpoint can forget it.
     */
    @ServerRequestFilter(priority = Priorities.USER - 100)
    public Uni<Response> refuseInPathOrQuery(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().indexOf('\0') >= 0) {
            throw QueryParameters.bad("path", MESSAGE);
        }
        for (Map.Entry<String, List<String>> parameter : request.getUriInfo().getQueryParameters().entrySet()) {
            if (parameter.getKey().indexOf('\0') >= 0 || parameter.getValue().stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
                throw QueryParameters.bad(parameter.getKey().replace("\0", ""), MESSAGE);
            }
        }
        return Uni.createFrom().nullItem();
    }

    /** Every string of a request body: read as Jackson reads strings, then refused if it holds NUL. */
    static final class Strings extends StdScalarDeserializer<String> {
        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            if (text != null && text.indexOf('\0') >= 0) {
                throw new NulInText(parser, text);
            }
            return text;
        }
    }

    /** What {@link ProblemMappers#wrongShape} answers with {@link #MESSAGE} for its field. */
    static final class NulInText extends InvalidFormatException {
        NulInText(JsonParser parser, String value) {
            super(parser, MESSAGE, value, String.class);
        }
    }
}
