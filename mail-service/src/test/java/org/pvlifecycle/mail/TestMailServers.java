package org.pvlifecycle.mail;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The mail servers of the mail service's tests, real ones (GreenMail) on loopback in the test JVM:
 * an IMAP server holding the mailbox the service polls, and an SMTP server taking its replies.
 * They are two, so that one can be taken away (stopped; connections are refused) and brought back
 * on the same port without touching the other.
 *
 * <p>The IMAP server serves its mailbox twice: in plain text, and over implicit TLS ({@code imaps})
 * with a certificate for {@value #TLS_HOST} only, signed by a CA made for this JVM
 * ({@link #imapsCa()}), which no JVM trusts by default.
 *
 * <p>As {@link ReviewStandIn}: one per JVM, owned by the copy of this class that the system class
 * loader holds, reached by the other copies through a handle of JDK types only. Each call runs with
 * that copy's class loader as the thread's context class loader: Jakarta Mail finds its providers
 * through it, and must find the ones GreenMail was loaded with, not the service's.
 */
final class TestMailServers {
    static final String USER = "xen-devel-bridge@example.org";
    static final String LOGIN = "bridge";
    static final String PASSWORD = "bridge-secret";
    /** The one name the IMAPS server's certificate carries: 127.0.0.1, its address, is not in it. */
    static final String TLS_HOST = "localhost";

    private static Map<String, Object> home;

    private final Map<String, Object> handle;

    private TestMailServers(Map<String, Object> handle) {
        this.handle = handle;
    }

    static TestMailServers jvmWide() {
        return new TestMailServers(handle());
    }

    String imapPort() {
        return (String) handle.get("imapPort");
    }

    String smtpPort() {
        return (String) handle.get("smtpPort");
    }

    /** The port of the same mailbox over implicit TLS. */
    String imapsPort() {
        return (String) handle.get("imapsPort");
    }

    /** A PEM file of the CA that signed the IMAPS server's certificate. */
    Path imapsCa() {
        return Path.of((String) handle.get("imapsCa"));
    }

    /** Puts {@code raw} into the polled mailbox, unseen, as the list's delivery would. */
    @SuppressWarnings("unchecked")
    void deliver(byte[] raw) {
        ((Consumer<byte[]>) handle.get("deliver")).accept(raw);
    }

    /** The mailbox's messages, oldest first: {@code messageId} and {@code seen} ("true" or "false"). */
    @SuppressWarnings("unchecked")
    List<Map<String, String>> mailbox() {
        return ((Supplier<List<Map<String, String>>>) handle.get("mailbox")).get();
    }

    /** The seen flags of the mailbox's copies of the message {@code messageId}, oldest first. */
    List<String> seen(String messageId) {
        return mailbox().stream().filter(m -> m.get("messageId").equals("<" + messageId + ">"))
                .map(m -> m.get("seen")).toList();
    }

    /**
     * What the SMTP server took, oldest first: {@code to}, {@code from}, {@code subject},
     * {@code messageId}, {@code inReplyTo}, {@code references}, {@code autoSubmitted}, {@code contentType}, {@code text}.
     */
    @SuppressWarnings("unchecked")
    List<Map<String, String>> sent() {
        return ((Supplier<List<Map<String, String>>>) handle.get("sent")).get();
    }

    void stopImap() {
        ((Runnable) handle.get("stopImap")).run();
    }

    /** Back on the same ports, with an empty mailbox. */
    void startImap() {
        ((Runnable) handle.get("startImap")).run();
    }

    void stopSmtp() {
        ((Runnable) handle.get("stopSmtp")).run();
    }

    void startSmtp() {
        ((Runnable) handle.get("startSmtp")).run();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> handle() {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (TestMailServers.class.getClassLoader() != system) {
            try {
                Class<?> jvmWide = Class.forName(TestMailServers.class.getName(), true, system);
                java.lang.reflect.Method handle = jvmWide.getDeclaredMethod("handle");
                handle.setAccessible(true);
                return (Map<String, Object>) handle.invoke(null);
            } catch (ClassNotFoundException notOnTheSystemPath) {
                // This copy is the only one.
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot reach the JVM-wide test mail servers", e);
            }
        }
        synchronized (TestMailServers.class) {
            if (home == null) {
                home = new Servers().handle();
            }
            return home;
        }
    }

    private static final class Servers {
        private final ServerSetup imapSetup = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
        private final ServerSetup imapsSetup = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAPS);
        private final Path imapsCa;
        private final ServerSetup smtpSetup = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        private volatile GreenMail imap;
        private volatile GreenMail smtp;
        private volatile GreenMailUser user;

        Servers() {
            imapsCa = tlsIdentity();
            startImap();
            startSmtp();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                imap.stop();
                smtp.stop();
            }, "pvl-test-mail-servers-stop"));
        }

        synchronized void startImap() {
            inHomeLoader(() -> {
                imap = new GreenMail(new ServerSetup[] {imapSetup, imapsSetup});
                imap.start();
                user = imap.setUser(USER, LOGIN, PASSWORD);
                return null;
            });
        }

        synchronized void startSmtp() {
            inHomeLoader(() -> {
                smtp = new GreenMail(smtpSetup);
                smtp.start();
                return null;
            });
        }

        Map<String, Object> handle() {
            Map<String, Object> handle = new HashMap<>();
            handle.put("imapPort", String.valueOf(imapSetup.getPort()));
            handle.put("smtpPort", String.valueOf(smtpSetup.getPort()));
            handle.put("imapsPort", String.valueOf(imapsSetup.getPort()));
            handle.put("imapsCa", imapsCa.toString());
            handle.put("deliver", (Consumer<byte[]>) raw -> inHomeLoader(() -> {
                user.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
                return null;
            }));
            handle.put("mailbox", (Supplier<List<Map<String, String>>>) () -> inHomeLoader(() -> {
                List<Map<String, String>> result = new ArrayList<>();
                for (StoredMessage m : imap.getManagers().getImapHostManager().getInbox(user).getMessages()) {
                    result.add(Map.of("messageId", String.valueOf(m.getMimeMessage().getMessageID()),
                            "seen", String.valueOf(m.getFlags().contains(Flags.Flag.SEEN))));
                }
                return result;
            }));
            handle.put("sent", (Supplier<List<Map<String, String>>>) () -> inHomeLoader(() -> {
                List<Map<String, String>> result = new ArrayList<>();
                for (MimeMessage m : smtp.getReceivedMessages()) {
                    Map<String, String> mail = new HashMap<>();
                    mail.put("to", String.join(", ", m.getHeader("To", ",")));
                    mail.put("from", m.getHeader("From", ","));
                    mail.put("subject", m.getSubject());
                    mail.put("messageId", m.getMessageID());
                    mail.put("inReplyTo", m.getHeader("In-Reply-To", " "));
                    mail.put("references", m.getHeader("References", " "));
                    mail.put("autoSubmitted", m.getHeader("Auto-Submitted", ","));
                    mail.put("contentType", m.getContentType());
                    mail.put("text", String.valueOf(m.getContent()));
                    result.add(mail);
                }
                return result;
            }));
            handle.put("stopImap", (Runnable) () -> imap.stop());
            handle.put("startImap", (Runnable) this::startImap);
            handle.put("stopSmtp", (Runnable) () -> smtp.stop());
            handle.put("startSmtp", (Runnable) this::startSmtp);
            return handle;
        }

        /**
         * The IMAPS server's key and certificate, signed by a CA of its own; the CA's PEM file. GreenMail
         * serves every TLS port with the key store these system properties name, read once per JVM
         * when its first TLS server starts (without them, a bundled certificate that names no host).
         */
        private static Path tlsIdentity() {
            try {
                Path dir = Files.createTempDirectory("pvl-test-imaps");
                TestCertificates.Issued ca = TestCertificates.authority("pv-lifecycle test IMAP CA");
                TestCertificates.Issued server = TestCertificates.server(ca, TLS_HOST);
                char[] password = "greenmail-test".toCharArray();
                Path keyStore = TestCertificates.writeKeyStore(dir.resolve("imaps.p12"), password, server, ca);
                Path caPem = TestCertificates.writePem(dir.resolve("imaps-ca.pem"), ca.certificate());
                System.setProperty("greenmail.tls.keystore.file", keyStore.toString());
                System.setProperty("greenmail.tls.keystore.password", new String(password));
                for (Path p : new Path[] {dir, keyStore, caPem}) {
                    p.toFile().deleteOnExit();
                }
                return caPem;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static <T> T inHomeLoader(Callable<T> work) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(TestMailServers.class.getClassLoader());
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
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
    }
}
