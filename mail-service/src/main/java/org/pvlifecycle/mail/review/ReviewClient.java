package org.pvlifecycle.mail.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.mail.MailConfig;
import org.pvlifecycle.mail.persistence.MessageAction;

import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Sends the review commands a list message causes to the review service, with the mail gateway's
 * token, on behalf of the message's sender: each body names the person ({@code actor}) and the
 * message ({@code source}), as docs/api.md#the-mail-gateway asks. Answers are classified
 * ({@link ReviewAnswer}), never thrown.
 */
@ApplicationScoped
public class ReviewClient {
    private static final Logger LOG = Logger.getLogger(ReviewClient.class);

    @Inject
    Vertx vertx;

    @Inject
    MailConfig config;

    @Inject
    GatewayToken token;

    @Inject
    ObjectMapper json;

    private HttpClient http;

    @PostConstruct
    void open() {
        http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.review().timeout().toMillis()));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** Sends {@code action} of the message {@code source} about {@code proposal}. */
    public Uni<ReviewAnswer> send(String proposal, MessageAction action, Source source) {
        ObjectNode body = json.createObjectNode();
        String path;
        switch (action.kind()) {
            case MessageAction.ACK -> {
                path = "/proposals/" + segment(proposal) + "/acks";
                body.put("kind", action.ackKind()).put("component", action.component());
            }
            case MessageAction.RAISE -> {
                path = "/proposals/" + segment(proposal) + "/objections";
                body.put("category", action.category()).put("section", action.section())
                        .put("rationale", action.rationale());
            }
            case MessageAction.ANSWER -> {
                path = "/objections/" + segment(action.objection()) + "/answers";
                body.put("text", action.text());
            }
            case MessageAction.REAFFIRM -> {
                path = "/objections/" + segment(action.objection()) + "/reaffirmations";
                body.put("text", action.text());
            }
            case MessageAction.WITHDRAW -> {
                path = "/objections/" + segment(action.objection()) + "/withdrawal";
                if (action.text() != null) {
                    body.put("text", action.text());
                }
            }
            default -> throw new IllegalArgumentException("no command for " + action.kind());
        }
        return call(HttpMethod.POST, path, onBehalf(body, action.actor(), source));
    }

    /** Takes back an ack the message gave (docs/api.md: DELETE with {actor, source}). */
    public Uni<ReviewAnswer> retract(String proposal, MessageAction ack, Source source) {
        return call(HttpMethod.DELETE, "/proposals/" + segment(proposal) + "/acks/" + segment(ack.result()),
                onBehalf(json.createObjectNode(), ack.actor(), source));
    }

    private ObjectNode onBehalf(ObjectNode body, String actor, Source source) {
        body.put("actor", actor);
        body.putObject("source").put("kind", source.kind().name()).put("messageId", source.messageId())
                .put("list", source.list());
        return body;
    }

    private Uni<ReviewAnswer> call(HttpMethod method, String path, ObjectNode body) {
        Optional<String> bearer;
        try {
            bearer = token.current();
        } catch (GatewayToken.MissingToken e) {
            return Uni.createFrom().item(new ReviewAnswer.Unavailable(e.getMessage(), false, 0));
        }
        if (bearer.isEmpty()) {
            return Uni.createFrom().item(new ReviewAnswer.Unavailable(
                    "no gateway token is configured (pvl.mail.gateway-token-file or pvl.mail.gateway-token)", false, 0));
        }
        String url = config.review().url().replaceAll("/+$", "") + path;
        RequestOptions request = new RequestOptions().setAbsoluteURI(url).setMethod(method)
                .setIdleTimeout(config.review().timeout().toMillis())
                .putHeader("Authorization", "Bearer " + bearer.get())
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json");
        Buffer payload = Buffer.buffer(body.toString());
        Context context = Vertx.currentContext();
        Uni<ReviewAnswer> answer = Uni.createFrom().completionStage(() -> http.request(request)
                        .compose(r -> r.send(payload))
                        .compose(response -> response.body().map(b -> classify(method, path, response.statusCode(), b)))
                        .toCompletionStage())
                .ifNoItem().after(config.review().timeout().plusSeconds(1)).fail()
                .onFailure().recoverWithItem(failure -> unavailable(path, failure));
        // Back onto the caller's context, where its database session lives.
        return context == null ? answer : answer.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    private ReviewAnswer classify(HttpMethod method, String path, int status, Buffer body) {
        if (status / 100 == 2) {
            return new ReviewAnswer.Done(status, body.length() == 0 ? null : parse(body));
        }
        String detail = Optional.ofNullable(parse(body)).map(n -> n.path("detail").asText(null)).orElse(null);
        String said = "HTTP " + status + (detail == null ? "" : ": " + detail);
        return switch (status) {
            case 400, 409, 413, 422 -> new ReviewAnswer.Refused(status, said);
            case 401, 403 -> {
                LOG.errorf("the review service refuses the mail gateway's token (%s %s: %s); check pvl.mail.gateway-token-file",
                        method, path, said);
                yield new ReviewAnswer.Unavailable("the review service refuses the gateway's token: " + said, false, status);
            }
            case 404 -> new ReviewAnswer.Unavailable("the review service does not know it (yet): " + said, false, status);
            case 503 -> new ReviewAnswer.Unavailable("the review service is unavailable: " + said, false, status);
            default -> new ReviewAnswer.Unavailable("the review service failed: " + said, true, status);
        };
    }

    private static ReviewAnswer unavailable(String path, Throwable failure) {
        boolean neverReached = failure instanceof ConnectException
                || (failure.getCause() instanceof ConnectException);
        String why = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return new ReviewAnswer.Unavailable("the review service cannot be reached (" + why + ")", !neverReached, 0);
    }

    private JsonNode parse(Buffer body) {
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            return json.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
