package org.pvlifecycle.mail.mailbox;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/**
 * Whom the IMAP connection trusts: with {@code pvl.mail.imap.trust-store} set, the CA certificates
 * of that PEM file and no others (an organisation's own CA, mounted into the container); without
 * it, the JVM's trusted CAs, as Jakarta Mail uses by default.
 *
 * <p>Only the trust anchors change. The rest of certificate checking (the chain, validity, and
 * the server's name, which {@link ImapMailbox} asks for) stays the JDK's: nothing here accepts a
 * certificate that no anchor vouches for.
 *
 * <p>The file is read at every pass, and the socket factory made again only when its content
 * changed: a renewed bundle (a Secret or ConfigMap updated in place) is used at the next pass,
 * without a restart. Comparing content rather than the modification time also catches a rewrite
 * within the file system's time granularity.
 */
public final class ImapTrustStore {
    public static final String PROPERTY = "pvl.mail.imap.trust-store";

    private final Optional<Path> file;
    private volatile Loaded loaded;

    private record Loaded(byte[] content, SSLSocketFactory factory) {
    }

    public ImapTrustStore(Optional<Path> file) {
        this.file = file;
    }

    public boolean configured() {
        return file.isPresent();
    }

    /**
     * The factory of TLS sockets trusting the file's CAs only; empty when no file is configured
     * (the JVM's trusted CAs). Blocking (reads the file).
     */
    public Optional<SSLSocketFactory> socketFactory() throws InvalidTrustStore {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        byte[] content = read(file.get());
        Loaded current = loaded;
        if (current == null || !Arrays.equals(current.content(), content)) {
            current = new Loaded(content, trusting(file.get(), content));
            loaded = current;
        }
        return Optional.of(current.factory());
    }

    /** Whom a server's certificate must chain to, for messages about a refused handshake. */
    public String describe() {
        return file.map(f -> "a CA of " + PROPERTY + " (" + f + ")")
                .orElse("a CA the JVM trusts (" + PROPERTY + " is not set)");
    }

    private static byte[] read(Path file) throws InvalidTrustStore {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidTrustStore(file + " does not exist");
        } catch (IOException e) {
            throw new InvalidTrustStore(file + " cannot be read: " + e);
        }
    }

    /** A socket factory whose trust anchors are the certificates of {@code pem}, and only those. */
    static SSLSocketFactory trusting(Path file, byte[] pem) throws InvalidTrustStore {
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            throw new InvalidTrustStore(file + " is not PEM-encoded X.509 certificates: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new InvalidTrustStore(file + " holds no certificate (a PEM file of CA certificates is expected)");
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                anchors.setCertificateEntry("ca-" + n++, certificate);
            }
            // PKIX: the JDK's own path validation, with the endpoint identification that Jakarta Mail
            // asks of the socket (mail.imaps.ssl.checkserveridentity) done by these trust managers.
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidTrustStore("the certificates of " + file + " cannot be trusted: " + e.getMessage());
        }
    }

    /** The configured file cannot be used; the message names the property and the file. */
    public static final class InvalidTrustStore extends Exception {
        InvalidTrustStore(String why) {
            super(PROPERTY + ": " + why);
        }
    }
}
