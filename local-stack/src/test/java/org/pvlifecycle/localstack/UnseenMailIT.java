package org.pvlifecycle.localstack;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local SMTP server prints every e-mail once ({@code ./pvl logs smtp}), on a real GreenMail
 * over SMTP: mails to two people, interleaved, the way the tour's notices come (the owner's
 * objection notice between the Czar's, say). GreenMail answers its messages grouped by
 * mailbox, and the printer once printed the Czar's mail twice and the owner's not at all.
 */
class UnseenMailIT {

    @Test
    void everyMailIsPrintedOnceWhateverMailboxItLandsIn() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        try {
            Properties settings = new Properties();
            settings.put("mail.smtp.host", "127.0.0.1");
            settings.put("mail.smtp.port", String.valueOf(port));
            Session session = Session.getInstance(settings);
            UnseenMail unseen = new UnseenMail();
            List<String> printed = new ArrayList<>();
            String[][] sent = {{"czar@example.org", "eligible"}, {"alice@example.org", "objection raised"},
                    {"czar@example.org", "overdue"}, {"alice@example.org", "advanced"}, {"bob@example.org", "window"}};
            for (String[] mail : sent) {
                MimeMessage message = new MimeMessage(session);
                message.setFrom(new InternetAddress("pv-lifecycle@example.org"));
                message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail[0]));
                message.setSubject(mail[1]);
                message.setText("notice: " + mail[1]);
                Transport.send(message);
                server.waitForIncomingEmail(5_000, printed.size() + 1);
                for (MimeMessage m : unseen.among(server.getReceivedMessages())) {
                    printed.add(m.getSubject());
                }
            }
            assertThat(printed).containsExactly("eligible", "objection raised", "overdue", "advanced", "window");
            assertThat(unseen.among(server.getReceivedMessages())).isEmpty();
        } finally {
            server.stop();
        }
    }
}
