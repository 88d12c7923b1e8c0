package org.pvlifecycle.notification;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.pvlifecycle.testkit.TestSmtp;

import java.util.Map;

/** Points the mailer at the test JVM's real SMTP server (GreenMail on loopback). */
public class SmtpTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", TestSmtp.port(),
                "quarkus.mailer.start-tls", "DISABLED");
    }

    @Override
    public void stop() {
        // Shared for the whole JVM, like the broker and the database.
    }
}
