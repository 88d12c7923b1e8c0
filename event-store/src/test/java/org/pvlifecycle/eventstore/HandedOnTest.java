package org.pvlifecycle.eventstore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SessionSql#handedOn}, the way a statement on Hibernate Reactive's connection answers:
 * its result handed on as it comes, and its failure as the statement's own, not wrapped.
 */
class HandedOnTest {
    @Test
    void aResultIsHandedOnWhenTheStatementAnswers() {
        CompletableFuture<String> statement = new CompletableFuture<>();
        var answer = SessionSql.handedOn(() -> statement).subscribeAsCompletionStage();
        assertThat(answer).isNotDone();
        statement.complete("rows");
        assertThat(answer).isCompletedWithValue("rows");
    }

    @Test
    void aFailureIsTheStatementsOwnNotItsWrapper() {
        IllegalStateException cause = new IllegalStateException("connection closed");
        var wrapped = SessionSql.handedOn(() -> CompletableFuture.<String>failedFuture(new CompletionException(cause)));
        assertThatThrownBy(() -> wrapped.await().atMost(Duration.ofSeconds(1))).isSameAs(cause);
        var plain = SessionSql.handedOn(() -> CompletableFuture.<String>failedFuture(cause));
        assertThatThrownBy(() -> plain.await().atMost(Duration.ofSeconds(1))).isSameAs(cause);
    }
}
