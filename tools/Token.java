import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The local stack's identity provider, with nothing but the JDK (run as a source file by ./pvl):
 *   keys DIR                 make DIR/private.pem and DIR/public.pem once (RSA 2048)
 *   token DIR ISSUER SUB ROLE...   print an RS256 JWT for SUB with ROLEs in its groups claim
 */
public class Token {
    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("keys")) {
            keys(Path.of(args[1]));
        } else if (args.length >= 4 && args[0].equals("token")) {
            String[] roles = java.util.Arrays.copyOfRange(args, 4, args.length);
            System.out.println(token(Path.of(args[1]), args[2], args[3], roles));
        } else {
            System.err.println("usage: Token keys DIR | Token token DIR ISSUER SUBJECT [ROLE...]");
            System.exit(2);
        }
    }

    static void keys(Path dir) throws Exception {
        if (Files.exists(dir.resolve("private.pem"))) {
            return;
        }
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path privateKey = dir.resolve("private.pem");
        Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    static String token(Path dir, String issuer, String subject, String[] roles) throws Exception {
        String pem = Files.readString(dir.resolve("private.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        long now = Instant.now().getEpochSecond();
        StringBuilder groups = new StringBuilder();
        for (String role : roles) {
            groups.append(groups.length() == 0 ? "" : ",").append(json(role));
        }
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"pvl-local\"}";
        String claims = "{\"iss\":" + json(issuer) + ",\"sub\":" + json(subject) + ",\"upn\":" + json(subject)
                + ",\"groups\":[" + groups + "],\"iat\":" + now + ",\"exp\":" + (now + 12 * 3600)
                + ",\"jti\":" + json(UUID.randomUUID().toString()) + "}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64(signature.sign());
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
