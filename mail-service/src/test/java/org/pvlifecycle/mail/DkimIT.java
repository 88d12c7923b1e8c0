package org.pvlifecycle.mail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.james.jdkim.DKIMSigner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.pvlifecycle.mail.Lists.post;

/**
 * {@code pvl.mail.dkim.required}: a message of the list counts only with a valid DKIM signature of
 * its From domain. Without DNS, the keys are the configured map's ({@code pvl.mail.dkim.keys}),
 * made in this test: a key pair generated for it, its public half as the TXT record of
 * {@code test._domainkey.example.net} (Tomas's domain) and of {@code test._domainkey.example.org}.
 * The messages are signed here, with the private half, by jDKIM's signer.
 */
@QuarkusTest
@TestProfile(DkimIT.Required.class)
@QuarkusTestResource(MailTestResources.class)
class DkimIT {
    static final ReviewStandIn REVIEW = MailTestResources.REVIEW;
    static final String HEADERS = "from:to:subject:date:message-id:in-reply-to:references:list-id";

    public static class Required implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String record = "v=DKIM1; k=rsa; p=" + TestKey.publicKey();
            return Map.of("pvl.mail.dkim.required", "true",
                    "pvl.mail.dkim.keys.\"test._domainkey.example.net\"", record,
                    "pvl.mail.dkim.keys.\"test._domainkey.example.org\"", record);
        }
    }

    ListMail mail;

    @BeforeEach
    void aProposalOfItsOwn() {
        mail = Lists.freshProposal();
    }

    @Test
    void aMessageSignedByItsFromDomainIsApplied() {
        post(signed(reviewedBy(), "example.net")).statusCode(202).body("outcome", equalTo("APPLIED"))
                .body("actions[0].kind", equalTo("ACK"));
        assertThat(REVIEW.callsAbout(mail.proposal)).hasSize(1);
    }

    @Test
    void anUnsignedMessageIsIgnoredWithTheReason() {
        post(reviewedBy().getBytes(StandardCharsets.UTF_8)).statusCode(202).body("outcome", equalTo("IGNORED"))
                .body("reason", equalTo("no valid DKIM signature")).body("actions", hasSize(0));
        assertThat(REVIEW.callsAbout(mail.proposal)).isEmpty();
    }

    @Test
    void aMessageChangedAfterItWasSignedIsIgnored() {
        String tampered = new String(signed(reviewedBy(), "example.net"), StandardCharsets.UTF_8)
                .replace("Reviewed-by: Tomas Lind", "Acked-by: Tomas Lind");
        post(tampered.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("outcome", equalTo("IGNORED"))
                .body("reason", equalTo("no valid DKIM signature"));
        assertThat(REVIEW.callsAbout(mail.proposal)).isEmpty();
    }

    @Test
    void aValidSignatureOfAnotherDomainThanTheSendersIsIgnored() {
        post(signed(reviewedBy(), "example.org")).statusCode(202).body("outcome", equalTo("IGNORED"))
                .body("reason", equalTo("no valid DKIM signature"));
        assertThat(REVIEW.callsAbout(mail.proposal)).isEmpty();
    }

    @Test
    void aMessageOfAnotherListIsIgnoredForThatWithoutLookingForASignature() {
        String other = reviewedBy().replace("<xen-devel.lists.xenproject.org>", "<other.lists.example.org>");
        post(other.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("outcome", equalTo("IGNORED"))
                .body("reason", startsWith("not from the configured list"));
    }

    /** Tomas's Reviewed-by, with CRLF line ends, as it crosses SMTP (and as it is signed). */
    private String reviewedBy() {
        String text = mail.text("reply-reviewed-by.eml");
        assertThat(text).contains("Reviewed-by: Tomas Lind").contains("From: Tomas Lind <Tomas.Lind@Example.NET>");
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    /** The message with a DKIM-Signature of {@code domain} (selector {@code test}) on top. */
    private static byte[] signed(String message, String domain) {
        try {
            String template = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=test; h=" + HEADERS + "; bh=; b=;";
            DKIMSigner signer = new DKIMSigner(template, TestKey.privateKey());
            String signature = signer.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
            return (signature + "\r\n" + message).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One RSA key pair for the test JVM, made on first use. The profile (read when Quarkus starts)
     * and the test may be loaded by different class loaders: the key is kept in system properties,
     * which all of them share.
     */
    static final class TestKey {
        private static final String PRIVATE = "pvl.test.dkim.private";
        private static final String PUBLIC = "pvl.test.dkim.public";

        static synchronized String publicKey() {
            generated();
            return System.getProperty(PUBLIC);
        }

        static PrivateKey privateKey() throws Exception {
            generated();
            byte[] encoded = Base64.getDecoder().decode(System.getProperty(PRIVATE));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(encoded));
        }

        private static void generated() {
            synchronized (System.class) {
                if (System.getProperty(PRIVATE) != null) {
                    return;
                }
                try {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    KeyPair pair = generator.generateKeyPair();
                    System.setProperty(PUBLIC, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
                    System.setProperty(PRIVATE, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
