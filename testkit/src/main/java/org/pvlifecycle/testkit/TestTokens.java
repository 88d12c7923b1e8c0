package org.pvlifecycle.testkit;

import io.smallrye.jwt.build.Jwt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * Test JWTs, RS256, signed by a key pair made once per test JVM. The services under test are
 * pointed at its public key with {@code mp.jwt.verify.publickey.location}, exactly as production
 * points them at an identity provider's key.
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
        return Jwt.issuer(ISSUER)
                .subject(subject)
                .upn(subject)
                .groups(Set.of(roles))
                .expiresIn(Duration.ofHours(1))
                .jws().keyId("pvl-test")
                .sign(privateKey());
    }

    /** The file holding the PEM public key, for {@code mp.jwt.verify.publickey.location}. */
    public static String publicKeyLocation() {
        return keyDir().resolve("public.pem").toString();
    }

    private static PrivateKey privateKey() {
        try {
            String pem = Files.readString(keyDir().resolve("private.pem"));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path keyDir() {
        return Path.of(keyDirectory());
    }

    /** The directory of this JVM's key pair, made on first use. */
    static String keyDirectory() {
        if (!JvmWide.isHome(TestTokens.class)) {
            return (String) JvmWide.call(TestTokens.class, "keyDirectory");
        }
        synchronized (TestTokens.class) {
            if (keyDir == null) {
                try {
                    Path dir = Files.createTempDirectory("pvl-test-keys");
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    KeyPair pair = generator.generateKeyPair();
                    Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                    Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                    keyDir = dir;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
            return keyDir.toString();
        }
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private TestTokens() {
    }
}
