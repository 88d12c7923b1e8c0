package org.pvlifecycle.testkit;

import org.pvlifecycle.localstack.ReceivedMail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one SMTP server of this test JVM (GreenMail, a real SMTP implementation on loopback),
 * started on first use. Tests read what it received as plain maps ({@code to}, {@code from},
 * {@code subject}, {@code text}, {@code html}), so the messages cross Quarkus' class loaders
 * as JDK types only.
 */
public final class TestSmtp {
    private static GreenMail server;

    /** The port the server listens on, on 127.0.0.1. */
    public static String port() {
        if (!JvmWide.isHome(TestSmtp.class)) {
            return (String) JvmWide.call(TestSmtp.class, "port");
        }
        synchronized (TestSmtp.class) {
            if (server == null) {
                // GreenMail's threads (and the connection threads they make) inherit this class
                // loader: jakarta.mail finds its providers through it, so it must be the one that
                // loaded jakarta.mail, not a Quarkus class loader of the test that came first.
                Thread thread = Thread.currentThread();
                ClassLoader previous = thread.getContextClassLoader();
                thread.setContextClassLoader(TestSmtp.class.getClassLoader());
                try {
                    server = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
                    server.start();
                } finally {
                    thread.setContextClassLoader(previous);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "pvl-test-smtp-stop"));
            }
            return String.valueOf(server.getSmtp().getPort());
        }
    }

    /** Every message received so far, oldest first. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, String>> received() {
        if (!JvmWide.isHome(TestSmtp.class)) {
            return (List<Map<String, String>>) JvmWide.call(TestSmtp.class, "received");
        }
        port();
        // Reading a multipart body looks up content handlers through the context class loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(TestSmtp.class.getClassLoader());
        try {
            List<Map<String, String>> result = new ArrayList<>();
            for (MimeMessage message : server.getReceivedMessages()) {
                result.add(ReceivedMail.read(message));
            }
            return result;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestSmtp() {
    }
}
