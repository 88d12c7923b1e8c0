package org.pvlifecycle.mail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvlifecycle.mail.mailbox.ImapMailbox;
import org.pvlifecycle.mail.mailbox.ImapTrustStore;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The IMAP connection over implicit TLS, without the service around it: against the test JVM's
 * IMAPS server ({@link TestMailServers}), whose certificate names {@value TestMailServers#TLS_HOST}
 * and chains to a CA of the test's own. It connects only when that CA is the trust store and the
 * host is the name in the certificate; and a trust store that cannot be used says why, naming the
 * property.
 */
class ImapTlsTest {
    static final TestMailServers MAIL = TestMailServers.jvmWide();

    @TempDir
    Path dir;

    @Test
    void theServerIsTrustedThroughTheConfiguredCaAndItsMailboxOpens() throws Exception {
        try (ImapMailbox mailbox = ImapMailbox.open(imaps(TestMailServers.TLS_HOST), trusting(MAIL.imapsCa()))) {
            assertThat(mailbox.unseen(1)).isNotNull();
        }
    }

    @Test
    void withoutTheTrustStoreTheJvmsCasDoNotVouchForItAndTheHandshakeIsRefused() {
        assertThatThrownBy(() -> ImapMailbox.open(imaps(TestMailServers.TLS_HOST), new ImapTrustStore(Optional.empty())))
                .isInstanceOf(SSLException.class)
                .hasMessageStartingWith("the TLS handshake with localhost:" + MAIL.imapsPort() + " failed (")
                .hasMessageContaining("unable to find valid certification path")
                .hasMessageEndingWith("the server's certificate must chain to a CA the JVM trusts "
                        + "(pvl.mail.imap.trust-store is not set) and name localhost");
    }

    @Test
    void aCaThatDidNotSignTheServersCertificateDoesNotVouchForIt() {
        Path stranger = TestCertificates.writePem(dir.resolve("stranger.pem"),
                TestCertificates.authority("a stranger CA").certificate());
        assertThatThrownBy(() -> ImapMailbox.open(imaps(TestMailServers.TLS_HOST), trusting(stranger)))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("unable to find valid certification path")
                .hasMessageEndingWith("must chain to a CA of pvl.mail.imap.trust-store (" + stranger + ") and name localhost");
    }

    @Test
    void aHostNameTheCertificateDoesNotCarryIsRefusedEvenWithTheRightCa() {
        // The same server and port, reached by its address, which its certificate does not name:
        // host-name checking stays on with a trust store of one's own.
        // The reason is the name, not the chain: no second attempt with the JVM's CAs hides it.
        assertThatThrownBy(() -> ImapMailbox.open(imaps("127.0.0.1"), trusting(MAIL.imapsCa())))
                .isInstanceOf(SSLException.class)
                .hasMessageStartingWith("the TLS handshake with 127.0.0.1:" + MAIL.imapsPort()
                        + " failed (No subject alternative names matching IP address 127.0.0.1 found)")
                .hasMessageNotContaining("certification path")
                .hasMessageEndingWith("and name 127.0.0.1");
    }

    @Test
    void aBundleOfSeveralCasWithTextBetweenThemIsReadAndARenewedFileIsUsedAtTheNextConnection() throws Exception {
        Path bundle = dir.resolve("bundle.pem");
        String stranger = TestCertificates.pem(TestCertificates.authority("a stranger CA").certificate());
        Files.writeString(bundle, "# the organisation's CAs\n" + stranger, StandardCharsets.US_ASCII);
        ImapTrustStore trust = trusting(bundle);
        assertThatThrownBy(() -> ImapMailbox.open(imaps(TestMailServers.TLS_HOST), trust)).isInstanceOf(SSLException.class);

        // The CA that signed the server added to the bundle, as an operator renewing the mounted file would.
        Files.writeString(bundle, "# the organisation's CAs\n" + stranger + "# and the mail server's\n"
                + Files.readString(MAIL.imapsCa()), StandardCharsets.US_ASCII);
        try (ImapMailbox mailbox = ImapMailbox.open(imaps(TestMailServers.TLS_HOST), trust)) {
            assertThat(mailbox.unseen(1)).isNotNull();
        }
    }

    @Test
    void aMissingFileIsRefusedNamingThePropertyAndTheFile() {
        Path missing = dir.resolve("no-such-ca.pem");
        assertThatThrownBy(() -> trusting(missing).socketFactory()).isInstanceOf(ImapTrustStore.InvalidTrustStore.class)
                .hasMessage("pvl.mail.imap.trust-store: " + missing + " does not exist");
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> trusting(empty).socketFactory()).isInstanceOf(ImapTrustStore.InvalidTrustStore.class)
                .hasMessage("pvl.mail.imap.trust-store: " + empty
                        + " holds no certificate (a PEM file of CA certificates is expected)");
    }

    @Test
    void aFileThatIsNotPemCertificatesIsRefused() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "the CA is on the wiki\n");
        assertThatThrownBy(() -> trusting(text).socketFactory()).isInstanceOf(ImapTrustStore.InvalidTrustStore.class)
                .hasMessage("pvl.mail.imap.trust-store: " + text
                        + " is not PEM-encoded X.509 certificates: No certificate data found");
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> trusting(broken).socketFactory()).isInstanceOf(ImapTrustStore.InvalidTrustStore.class)
                .hasMessageStartingWith("pvl.mail.imap.trust-store: " + broken + " is not PEM-encoded X.509 certificates: ");
    }

    @Test
    void theServiceRefusesToStartPollingWithATrustStoreItCannotUseNamingTheProperty() {
        // What ImapPolling does when Quarkus starts: an exception from a StartupEvent observer
        // stops the application's start, with this message.
        Path missing = dir.resolve("ca.crt");
        ImapPolling polling = new ImapPolling();
        polling.config = configWith(imaps(TestMailServers.TLS_HOST, Optional.of(missing)));
        polling.createLoop();
        assertThatThrownBy(() -> polling.onStart(null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("pvl.mail.imap.trust-store: " + missing + " does not exist");
    }

    private static ImapTrustStore trusting(Path pem) {
        return new ImapTrustStore(Optional.of(pem));
    }

    /** The IMAPS server as {@code host}, with the test mailbox's login. */
    private static MailConfig.Imap imaps(String host) {
        return imaps(host, Optional.empty());
    }

    /** The service's configuration, of which only the IMAP part is read here. */
    private static MailConfig configWith(MailConfig.Imap imap) {
        return (MailConfig) Proxy.newProxyInstance(MailConfig.class.getClassLoader(), new Class<?>[] {MailConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("imap")) {
                        return imap;
                    }
                    throw new AssertionError("not read when polling starts: " + method.getName());
                });
    }

    private static MailConfig.Imap imaps(String host, Optional<Path> trustStore) {
        int port = Integer.parseInt(MAIL.imapsPort());
        return new MailConfig.Imap() {
            public boolean enabled() {
                return true;
            }

            public String host() {
                return host;
            }

            public OptionalInt port() {
                return OptionalInt.of(port);
            }

            public boolean tls() {
                return true;
            }

            public Optional<String> user() {
                return Optional.of(TestMailServers.LOGIN);
            }

            public Optional<String> password() {
                return Optional.of(TestMailServers.PASSWORD);
            }

            public String folder() {
                return "INBOX";
            }

            public Duration pollInterval() {
                return Duration.ofSeconds(1);
            }

            public Duration timeout() {
                return Duration.ofSeconds(5);
            }

            public Optional<Path> trustStore() {
                return trustStore;
            }
        };
    }
}
