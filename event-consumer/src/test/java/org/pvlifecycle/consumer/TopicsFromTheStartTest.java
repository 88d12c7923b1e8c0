package org.pvlifecycle.consumer;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.conventions.DependencyDown;

import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicsFromTheStartTest {

    @Test
    void kafkaThatDoesNotAnswerIsRefusedQuicklyAsAnOutage() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> TopicsFromTheStart.requireReachable("127.0.0.1:" + closed, Duration.ofSeconds(2)))
                .satisfies(failure -> assertThat(DependencyDown.is(failure)).isTrue());
    }
}
