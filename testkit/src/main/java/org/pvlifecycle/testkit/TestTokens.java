package org.pvlifecycle.testkit;

import org.pvlifecycle.localstack.LocalIdentityProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Test JWTs, RS256, signed by a key pair made once per test JVM by the same identity provider the
 * local stack runs. The services under test are pointed at its public key with
 * {@code mp.jwt.verify.publickey.location}, exactly as production points them at an identity
 * provider's key.
 */
public final class TestTokens {
    public static final String ISSUER = "https://pv-lifecycle.test/issuer";
    private static Path keyDir;

    /** A token for {@code subject} with {@code roles} in its {@code groups} claim. */
    public static String mint(String subject, String... roles) {
        return "Bearer " + raw(subject, roles);
    }

    /** The bare compact JWT, for clients that set the header themselves. */
    public static String raw(String subject, String... roles) {
        return provider().token(ISSUER, subject, Duration.ofHours(1), roles);
    }

    /** The bare compact JWT, with {@code exp} {@code validFor} from now (negative: already expired). */
    public static String rawValidFor(Duration validFor, String subject, String... roles) {
        return provider().token(ISSUER, subject, validFor, roles);
    }

    /** The file holding the PEM public key, for {@code mp.jwt.verify.publickey.location}. */
    public static String publicKeyLocation() {
        return provider().publicKey().toString();
    }

    private static LocalIdentityProvider provider() {
        return LocalIdentityProvider.in(Path.of(keyDirectory()));
    }

    /** The directory of this JVM's key pair, made on first use. */
    static String keyDirectory() {
        if (!JvmWide.isHome(TestTokens.class)) {
            return (String) JvmWide.call(TestTokens.class, "keyDirectory");
        }
        synchronized (TestTokens.class) {
            if (keyDir == null) {
                try {
                    keyDir = Files.createTempDirectory("pvl-test-keys");
                    LocalIdentityProvider.in(keyDir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return keyDir.toString();
        }
    }

    private TestTokens() {
    }
}
