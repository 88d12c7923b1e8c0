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
 * file as in production ({@code pvl.mail.gateway-token-file}). Every test class of this module uses
 * these resources, so they share one stand-in.
 */
public class MailTestResources extends PvlTestResources {
    static final ReviewStandIn REVIEW = ReviewStandIn.jvmWide();
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
        return config;
    }
}
