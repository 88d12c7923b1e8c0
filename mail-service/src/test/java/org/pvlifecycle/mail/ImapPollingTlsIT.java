package org.pvlifecycle.mail;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The IMAP mailbox polled over implicit TLS, as in production: the test JVM's IMAPS server, whose
 * certificate a CA of the test's own signed, reached by the name in that certificate, with that CA
 * as the service's trust store ({@code pvl.mail.imap.trust-store}). Host-name checking is on, as
 * always. Its own Quarkus start (a profile with the IMAP settings changed); the database, broker
 * and mail servers are the JVM's shared ones.
 */
@QuarkusTest
@TestProfile(ImapPollingTlsIT.OverTls.class)
class ImapPollingTlsIT {
    static final TestMailServers MAIL = MailTestResources.MAIL;
    static final String REVIEWED_BY = "a1b2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d@example.net";
    /** Where BackgroundLoop says that a pass failed, and that it works again. */
    static final String LOOP_LOGGER = "org.pvlifecycle.conventions.BackgroundLoop";

    public static class OverTls implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            // MailTestResources, which the other classes share, would set the plain IMAP port too.
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OverTlsResources.class));
        }
    }

    /** MailTestResources, with the IMAPS port, its certificate's host name, and the CA in a file of the service's. */
    public static class OverTlsResources extends MailTestResources {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            try {
                // A copy, so that the tests can change what the service trusts without touching the CA's file.
                Path trustStore = Files.createTempFile("pvl-imap-trust-store", ".pem");
                Files.copy(MAIL.imapsCa(), trustStore, StandardCopyOption.REPLACE_EXISTING);
                trustStore.toFile().deleteOnExit();
                config.put("pvl.mail.imap.trust-store", trustStore.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.put("pvl.mail.imap.host", TestMailServers.TLS_HOST);
            config.put("pvl.mail.imap.port", MAIL.imapsPort());
            config.put("pvl.mail.imap.tls", "true");
            return config;
        }
    }

    @Inject
    MailConfig config;

    ListMail mail;
    Logger loopLogger;
    final LogLines loopLog = new LogLines();

    @BeforeEach
    void aProposalOfItsOwnAndTheLoopsLogWatched() {
        mail = Lists.freshProposal();
        loopLogger = Logger.getLogger(LOOP_LOGGER);
        loopLogger.addHandler(loopLog);
    }

    @AfterEach
    void theLogNoLongerWatched() {
        loopLogger.removeHandler(loopLog);
    }

    @Test
    void aMessageDeliveredIsTakenOverTlsAndMarkedSeenOnceItsOutcomeIsRecorded() {
        MAIL.deliver(mail.bytes("reply-reviewed-by.eml"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> MAIL.seen(mail.id(REVIEWED_BY)).equals(List.of("true")));
        JsonPath received = Lists.messagesOf(mail.proposal);
        assertThat(received.getList("items.messageId")).containsExactly(mail.id(REVIEWED_BY));
        assertThat(received.getString("items[0].outcome")).isEqualTo("APPLIED");
        assertThat(received.getString("items[0].actions[0].kind")).isEqualTo("ACK");
        assertThat(loopLog.lines).noneMatch(line -> line.contains("failed"));
    }

    @Test
    void aTrustStoreThatNoLongerVouchesForTheServerFailsThePassSayingWhyAndLeavesTheMessageUnseen() throws Exception {
        Path trustStore = config.imap().trustStore().orElseThrow();
        String rightCa = Files.readString(trustStore);
        String port = MAIL.imapsPort();
        try {
            // As an operator would by mounting the wrong CA: read at the next pass, no restart.
            replace(trustStore, TestCertificates.pem(TestCertificates.authority("a stranger CA").certificate()));
            // GreenMail's handler throws on its own thread when a client gives up the handshake;
            // that is the server's side of the refusal, not a failure of this test.
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> loopLog.lines.stream().anyMatch(line -> line.startsWith("WARN ")));
            assertThat(loopLog.lines).singleElement().asString()
                    .startsWith("WARN polling the IMAP folder INBOX at localhost failed (the TLS handshake with localhost:"
                            + port + " failed (")
                    .contains("unable to find valid certification path")
                    .endsWith("the server's certificate must chain to a CA of pvl.mail.imap.trust-store ("
                            + trustStore + ") and name localhost); it keeps trying");

            MAIL.deliver(mail.bytes("reply-reviewed-by.eml"));
            // A few more passes (one a second) fail the same way; the failure is logged once.
            sleep(Duration.ofMillis(2500));
            assertThat(MAIL.seen(mail.id(REVIEWED_BY))).containsExactly("false");
            assertThat(Lists.messagesOf(mail.proposal).getList("items")).isEmpty();
            assertThat(loopLog.lines).hasSize(1);
        } finally {
            replace(trustStore, rightCa);
        }

        // The right CA back: the next pass takes the message, and the loop says it works again.
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> MAIL.seen(mail.id(REVIEWED_BY)).equals(List.of("true")));
        assertThat(Lists.messagesOf(mail.proposal).getString("items[0].outcome")).isEqualTo("APPLIED");
        assertThat(loopLog.lines).last().asString().isEqualTo("INFO polling the IMAP folder INBOX at localhost works again");
    }



    /**
     * The file's content replaced at once, as Kubernetes updates a mounted ConfigMap: a pass never
     * reads it half-written.
     */
    private static void replace(Path file, String content) throws IOException {
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void sleep(Duration pause) throws InterruptedException {
        Thread.sleep(pause.toMillis());
    }

    /** What one logger logs, as "LEVEL message" lines. */
    static final class LogLines extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            lines.add(record.getLevel() + " " + message);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
