package org.pvlifecycle.conventions.rest;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.pvlifecycle.conventions.VerifiedTokens;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The actor of a command: the token's subject, or for the mail gateway the person it names. */
class CallerTest {

    /** A verified token with these claims, as MicroProfile JWT hands it to a resource. */
    static JsonWebToken token(String subject, String... groups) {
        return VerifiedTokens.withClaims(subject, Map.of("sub", subject, "groups", Set.of(groups)));
    }

    static void refusedNamingActor(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(422);
            assertThat(e.problem().errors()).extracting(Problem.FieldError::field).containsExactly("actor");
            assertThat(e.problem().errors().get(0).message()).contains(message);
        });
    }

    @Test
    void anOrdinaryCallerActsAsItselfAndNamesNobodyElse() {
        JsonWebToken carol = token("carol", "reviewer");
        assertThat(Caller.actor(carol, null)).isEqualTo("carol");
        assertThat(Caller.isMailGateway(carol)).isFalse();
        refusedNamingActor(() -> Caller.actor(carol, "alice"), "only the mail gateway may act on behalf of someone");
        refusedNamingActor(() -> Caller.actor(token("ops", "operator"), "carol"), "only the mail gateway");
    }

    @Test
    void theMailGatewayActsForThePersonItNames() {
        JsonWebToken gateway = token("mail-service", Caller.MAIL_GATEWAY);
        assertThat(Caller.isMailGateway(gateway)).isTrue();
        assertThat(Caller.actor(gateway, "alice@example.org")).isEqualTo("alice@example.org");
        assertThat(Caller.actor(gateway, "x".repeat(200))).hasSize(200);

        refusedNamingActor(() -> Caller.actor(gateway, null), "must name the person it acts for");
        for (String notAPerson : new String[] {"", " ", "alice example", "alice\n", "\tbob", "x".repeat(201)}) {
            refusedNamingActor(() -> Caller.actor(gateway, notAPerson), "must be a person id");
        }
    }
}
