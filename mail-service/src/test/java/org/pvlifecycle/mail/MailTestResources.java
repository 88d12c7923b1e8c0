package org.pvlifecycle.mail;

import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real broker and database of {@link PvlTestResources}, and in place of the review service a
 * {@link ReviewStandIn} on loopback; the gateway's token, minted for the test key, is read from a
 * file as in production ({@code pvl.mail.gateway-token-file}). The IMAP mailbox the service polls
 * and the SMTP server of its replies are real servers in this JVM ({@link TestMailServers}), plain
 * text on loopback. Every test class of this module uses these resources, so they share them.
 */
public class MailTestResources extends PvlTestResources {
    static final ReviewStandIn REVIEW = ReviewStandIn.jvmWide();
    static final TestMailServers MAIL = TestMailServers.jvmWide();
    static final String GATEWAY_TOKEN = TestTokens.raw("mail-bridge", "mail-gateway");

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        try {
            Path tokenFile = Files.createTempFile("pvl-mail-gateway", ".jwt");
            Files.writeString(tokenFile, GATEWAY_TOKEN + "\n");
            config.put("pvl.mail.gateway-token-file", tokenFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("pvl.mail.review.url", REVIEW.url());
        config.put("pvl.mail.imap.enabled", "true");
        config.put("pvl.mail.imap.host", "127.0.0.1");
        config.put("pvl.mail.imap.port", MAIL.imapPort());
        config.put("pvl.mail.imap.tls", "false");
        config.put("pvl.mail.imap.user", TestMailServers.LOGIN);
        config.put("pvl.mail.imap.password", TestMailServers.PASSWORD);
        config.put("pvl.mail.imap.poll-interval", "PT1S");
        config.put("pvl.mail.imap.timeout", "PT5S");
        config.put("pvl.mail.smtp.host", "127.0.0.1");
        config.put("pvl.mail.smtp.port", MAIL.smtpPort());
        config.put("pvl.mail.smtp.security", "NONE");
        config.put("pvl.mail.smtp.from", "pv-lifecycle <pv-lifecycle@lists.example.org>");
        config.put("pvl.mail.smtp.timeout", "PT5S");
        return config;
    }
}
