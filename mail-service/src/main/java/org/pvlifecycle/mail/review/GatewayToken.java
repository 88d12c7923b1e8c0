package org.pvlifecycle.mail.review;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.mail.MailConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * The mail gateway's own bearer token, whose {@code groups} hold {@code mail-gateway}
 * (docs/api.md#the-mail-gateway): from the file {@code pvl.mail.gateway-token-file}, read again
 * whenever it changes (so that a rotated token is used at once); when that file does not exist,
 * {@code pvl.mail.gateway-token}. With neither, commands wait (their messages stay pending) and
 * say why.
 */
@ApplicationScoped
public class GatewayToken {

    @Inject
    MailConfig config;

    private volatile FileTime readAt;
    private volatile String fromFile;

    /** The token, or empty with why when none can be had now. */
    public Optional<String> current() throws MissingToken {
        Optional<Path> file = config.gatewayTokenFile();
        if (file.isPresent() && Files.exists(file.get())) {
            return Optional.of(read(file.get()));
        }
        Optional<String> inline = config.gatewayToken().map(String::strip).filter(t -> !t.isEmpty());
        if (inline.isEmpty() && file.isPresent()) {
            throw new MissingToken("the gateway token file " + file.get() + " does not exist (pvl.mail.gateway-token-file)");
        }
        return inline;
    }

    private synchronized String read(Path file) throws MissingToken {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (fromFile == null || !modified.equals(readAt)) {
                String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (token.isEmpty()) {
                    throw new MissingToken("the gateway token file " + file + " is empty");
                }
                fromFile = token;
                readAt = modified;
            }
            return fromFile;
        } catch (IOException e) {
            throw new MissingToken("the gateway token file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** No token can be had: the commands wait (the message stays pending) until one can. */
    public static class MissingToken extends Exception {
        public MissingToken(String why) {
            super(why);
        }
    }
}
