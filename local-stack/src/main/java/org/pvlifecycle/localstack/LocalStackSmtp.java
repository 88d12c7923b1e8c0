package org.pvlifecycle.localstack;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;

import java.util.Map;

/**
 * The local stack's SMTP server ({@code ./pvl up}): GreenMail on loopback, which accepts every
 * message and prints it (recipient, subject, plain-text body) to its output, that is
 * {@code .pvl/logs/smtp.log}, so the e-mail notices of the tour can be read with
 * {@code ./pvl logs smtp}. Usage: {@code LocalStackSmtp PORT}.
 */
public final class LocalStackSmtp {

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LocalStackSmtp PORT");
            System.exit(2);
        }
        GreenMail server = new GreenMail(new ServerSetup(Integer.parseInt(args[0]), "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "pvl-smtp-stop"));
        System.out.println("SMTP ready at 127.0.0.1:" + args[0]);
        UnseenMail unseen = new UnseenMail();
        int printed = 0;
        while (true) {
            for (MimeMessage message : unseen.among(server.getReceivedMessages())) {
                Map<String, String> m = ReceivedMail.read(message);
                printed++;
                System.out.printf("--- mail %d to %s%nSubject: %s%n%n%s%n", printed, m.get("to"), m.get("subject"),
                        m.getOrDefault("text", ""));
            }
            System.out.flush();
            Thread.sleep(500);
        }
    }

    private LocalStackSmtp() {
    }
}
