package org.pvlifecycle.mail.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The test messages under resources mail/ (README.txt there says what each one is). */
final class Mails {
    private Mails() {
    }

    static byte[] raw(String name) {
        try (InputStream in = Mails.class.getResourceAsStream("/mail/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource mail/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MailMessage message(String name) {
        return MailMessage.parse(raw(name));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
