package org.pvlifecycle.mail.review;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvlifecycle.mail.MailConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayTokenTest {
    @TempDir
    Path dir;

    static GatewayToken token(Optional<Path> file, Optional<String> inline) {
        GatewayToken token = new GatewayToken();
        token.config = new MailConfig() {
            @Override
            public String listId() {
                return "xen-devel.lists.xenproject.org";
            }

            @Override
            public Optional<Path> gatewayTokenFile() {
                return file;
            }

            @Override
            public Optional<String> gatewayToken() {
                return inline;
            }

            @Override
            public Review review() {
                return null;
            }

            @Override
            public Retry retry() {
                return null;
            }

            @Override
            public Imap imap() {
                return null;
            }

            @Override
            public Smtp smtp() {
                return null;
            }

            @Override
            public Dkim dkim() {
                return null;
            }
        };
        return token;
    }

    @Test
    void theFileIsReadAgainWhenItChangesSoARotatedTokenIsUsedAtOnce() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first.jwt\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        GatewayToken token = token(Optional.of(file), Optional.of("inline.jwt"));
        assertThat(token.current()).contains("first.jwt");
        Files.writeString(file, "second.jwt");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
        assertThat(token.current()).contains("second.jwt");
    }

    @Test
    void withoutTheFileTheTokenItselfIsUsedAndWithNeitherTheCommandsWaitSayingWhy() throws Exception {
        Path missing = dir.resolve("absent");
        assertThat(token(Optional.of(missing), Optional.of(" inline.jwt ")).current()).contains("inline.jwt");
        assertThatThrownBy(() -> token(Optional.of(missing), Optional.empty()).current())
                .isInstanceOf(GatewayToken.MissingToken.class).hasMessageContaining(missing.toString());
        assertThat(token(Optional.empty(), Optional.empty()).current()).isEmpty();
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        assertThatThrownBy(() -> token(Optional.of(empty), Optional.empty()).current())
                .isInstanceOf(GatewayToken.MissingToken.class).hasMessageContaining("is empty");
    }
}
