package org.pvlifecycle.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Certificates made for a test with the JDK alone: a certificate authority of the test's own and
 * server certificates it signs (EC P-256, ECDSA with SHA-256, valid from an hour ago for a day).
 * The JDK can sign but has no public API to build a certificate, so the few DER structures of
 * RFC 5280 needed here are written out below; the JDK's certificate factory then parses and checks
 * what was written, as a TLS peer will.
 */
final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final byte[] TRUE = {0x01, 0x01, (byte) 0xFF};

    /** A certificate and its private key. */
    record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private TestCertificates() {
    }

    /** A self-signed CA named {@code name}, allowed to sign certificates. */
    static Issued authority(String name) {
        KeyPair keys = keyPair();
        byte[] caTrue = extension(BASIC_CONSTRAINTS, true, sequence(TRUE));
        // keyCertSign and cRLSign: bits 5 and 6 of the KeyUsage bit string, the last bit unused.
        byte[] signsCertificates = extension(KEY_USAGE, true, tlv(0x03, new byte[] {0x01, 0x06}));
        return new Issued(certificate(name(name), keys, name(name), keys.getPrivate(), caTrue, signsCertificates),
                keys.getPrivate());
    }

    /** A server certificate for the host name {@code dnsName} only (no IP address), signed by {@code ca}. */
    static Issued server(Issued ca, String dnsName) {
        KeyPair keys = keyPair();
        // digitalSignature: bit 0, the other seven unused.
        byte[] signs = extension(KEY_USAGE, true, tlv(0x03, new byte[] {0x07, (byte) 0x80}));
        // GeneralName dNSName: [2] IMPLICIT IA5String.
        byte[] names = extension(SUBJECT_ALT_NAME, false, sequence(tlv(0x82, dnsName.getBytes(StandardCharsets.US_ASCII))));
        // The issuer is the CA's subject, byte for byte, as path building matches them.
        byte[] issuer = ca.certificate().getSubjectX500Principal().getEncoded();
        return new Issued(certificate(name(dnsName), keys, issuer, ca.key(), signs, names), keys.getPrivate());
    }

    /** The certificates as PEM, one block after the other. */
    static String pem(X509Certificate... certificates) {
        StringBuilder out = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : certificates) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    static Path writePem(Path file, X509Certificate... certificates) {
        try {
            return Files.writeString(file, pem(certificates), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PKCS12 key store holding the server's key with its chain up to {@code ca}, as a TLS server loads it. */
    static Path writeKeyStore(Path file, char[] password, Issued server, Issued ca) {
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", server.key(), password, new Certificate[] {server.certificate(), ca.certificate()});
            store.store(out, password);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An X.509 v3 certificate (RFC 5280, 4.1) of {@code subject}'s public key, signed with the issuer's key. */
    private static X509Certificate certificate(byte[] subject, KeyPair subjectKeys, byte[] issuer, PrivateKey issuerKey,
                                               byte[]... extensions) {
        Instant now = Instant.now();
        byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
        byte[] tbs = sequence(
                tlv(0xA0, integer(BigInteger.TWO)), // [0] EXPLICIT version: v3
                integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
                algorithm,
                issuer,
                sequence(utcTime(now.minus(Duration.ofHours(1))), utcTime(now.plus(Duration.ofDays(1)))),
                subject,
                subjectKeys.getPublic().getEncoded(), // already a DER SubjectPublicKeyInfo
                tlv(0xA3, sequence(extensions))); // [3] EXPLICIT extensions
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            byte[] der = sequence(tbs, algorithm, bitString(signer.sign()));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Name of one common name. */
    private static byte[] name(String commonName) {
        return sequence(tlv(0x31, sequence(oid(COMMON_NAME), tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? sequence(oid(oid), TRUE, tlv(0x04, value)) : sequence(oid(oid), tlv(0x04, value));
    }

    private static byte[] utcTime(Instant instant) {
        String text = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(instant);
        return tlv(0x17, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] bitString(byte[] bytes) {
        byte[] content = new byte[bytes.length + 1]; // no unused bits
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tlv(0x03, content);
    }

    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            // Base 128, most significant group first, every group but the last with its top bit set.
            int groups = 1;
            while (arc >>> (7 * groups) != 0) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int group = (int) (arc >>> (7 * g)) & 0x7F;
                out.write(g == 0 ? group : group | 0x80);
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, parts);
    }

    /** A DER tag, definite length, and content. */
    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] digits = BigInteger.valueOf(length).toByteArray();
            int skip = digits[0] == 0 ? 1 : 0;
            out.write(0x80 | (digits.length - skip));
            out.write(digits, skip, digits.length - skip);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
