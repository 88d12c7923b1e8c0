package org.pvlifecycle.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * The identity provider of the local stack and of the tests, with nothing but the JDK: an RSA key
 * pair in a directory ({@code private.pem}, {@code public.pem}, the latter what the services'
 * {@code mp.jwt.verify.publickey.location} points at) and RS256 tokens signed with it, the roles
 * in the {@code groups} claim as a real identity provider would put them.
 * <pre>
 *   keys DIR                         make DIR/private.pem and DIR/public.pem once (RSA 2048)
 *   token DIR ISSUER SUBJECT ROLE... print a token for SUBJECT, valid 12 hours
 * </pre>
 */
public final class LocalIdentityProvider {
    private final Path keys;

    private LocalIdentityProvider(Path keys) {
        this.keys = keys;
    }

    public static void main(String[] args) {
        if (args.length >= 2 && args[0].equals("keys")) {
            in(Path.of(args[1]));
        } else if (args.length >= 4 && args[0].equals("token")) {
            String[] roles = Arrays.copyOfRange(args, 4, args.length);
            System.out.println(in(Path.of(args[1])).token(args[2], args[3], Duration.ofHours(12), roles));
        } else {
            System.err.println("usage: keys DIR | token DIR ISSUER SUBJECT [ROLE...]");
            System.exit(2);
        }
    }

    /** The provider whose key pair lives in {@code keys}, made there on first use. */
    public static LocalIdentityProvider in(Path keys) {
        try {
            if (!Files.exists(keys.resolve("private.pem"))) {
                Files.createDirectories(keys);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Path privateKey = keys.resolve("private.pem");
                Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
                Files.writeString(keys.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            }
            return new LocalIdentityProvider(keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PEM public key the services verify tokens with. */
    public Path publicKey() {
        return keys.resolve("public.pem");
    }

    /** A compact RS256 JWT for {@code subject} with {@code roles} in its groups claim. */
    public String token(String issuer, String subject, Duration validFor, String... roles) {
        try {
            String pem = Files.readString(keys.resolve("private.pem"));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            long now = Instant.now().getEpochSecond();
            StringBuilder groups = new StringBuilder();
            for (String role : roles) {
                groups.append(groups.length() == 0 ? "" : ",").append(json(role));
            }
            String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"pvl-local\"}";
            String claims = "{\"iss\":" + json(issuer) + ",\"sub\":" + json(subject) + ",\"upn\":" + json(subject)
                    + ",\"groups\":[" + groups + "],\"iat\":" + now + ",\"exp\":" + (now + validFor.toSeconds())
                    + ",\"jti\":" + json(UUID.randomUUID().toString()) + "}";
            String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + base64Url(claims.getBytes(StandardCharsets.UTF_8));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
