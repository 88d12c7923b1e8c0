package org.pvlifecycle.mail.domain;

import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.util.CharsetUtil;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The plain text of a message (docs/mail.md).
 *
 * <p><b>Which parts.</b> A single-part message is its text when it is {@code text/plain} (also
 * when it has no Content-Type). In a multipart message, every {@code text/plain} part that is not
 * an attachment is text, in order, and of a {@code multipart/alternative} only its first plain
 * alternative. Patches are patch text wherever they sit, inline or attached: parts typed
 * {@code text/x-patch}, {@code text/x-diff}, {@code text/diff}, {@code application/x-patch} or
 * {@code application/x-diff}, and text parts whose file name ends in {@code .patch} or
 * {@code .diff}. HTML, signatures, images and forwarded messages
 * ({@code message/rfc822}, not the sender's words) are no text.
 *
 * <p><b>Decoding.</b> Each part's bytes are decoded from {@code quoted-printable} or
 * {@code base64} with mime4j's decoders, then from the part's charset (mime4j's charset lookup, so
 * {@code latin1} and other aliases work). Line ends become {@code \n}. A decoder's complaint, an
 * unknown transfer encoding or charset, or bytes that are not valid in the charset become the
 * {@code problem}; the text then holds what could be read, with replacement characters. A part
 * declared {@code us-ascii} (the default) that holds valid UTF-8 is read as UTF-8 without a
 * problem: mailers often leave the charset out.
 */
record BodyText(String text, List<String> attachedPatches, Optional<String> problem) {

    static BodyText of(Entity message) {
        Collector collector = new Collector();
        collector.visit(message);
        return new BodyText(String.join("\n", collector.texts), List.copyOf(collector.patches),
                collector.problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", collector.problems)));
    }

    private static final class Collector {
        final List<String> texts = new ArrayList<>();
        final List<String> patches = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        void visit(Entity entity) {
            String mime = lower(entity.getMimeType());
            if (entity.getBody() instanceof Multipart multipart) {
                List<Entity> parts = multipart.getBodyParts();
                if (mime.equals("multipart/alternative")) {
                    parts.stream().filter(p -> p.getBody() instanceof Multipart || isPlainText(p)).findFirst()
                            .ifPresent(this::visit);
                } else {
                    parts.forEach(this::visit);
                }
                return;
            }
            if (!(entity.getBody() instanceof SingleBody body)) {
                return; // message/rfc822: a forwarded message is not the sender's text
            }
            if (isPatch(entity)) {
                decode(entity, body).ifPresent(patches::add);
            } else if (isPlainText(entity) && !isAttachment(entity)) {
                decode(entity, body).ifPresent(texts::add);
            }
        }

        private Optional<String> decode(Entity part, SingleBody body) {
            String label = lower(part.getMimeType()) + Optional.ofNullable(part.getFilename()).map(f -> " " + f).orElse("");
            String encoding = lower(part.getContentTransferEncoding());
            RecordingMonitor monitor = new RecordingMonitor();
            byte[] bytes;
            try (InputStream in = body.getInputStream()) {
                byte[] raw = in.readAllBytes();
                bytes = transferDecoded(raw, encoding, monitor, label).readAllBytes();
                if (encoding.equals("base64") && dataAfterPadding(raw)) {
                    monitor.warn("data after the padding, which the decoder drops", "");
                }
            } catch (IOException | RuntimeException e) {
                problems.add(label + ": cannot decode " + encoding + ": " + e.getMessage());
                return Optional.empty();
            }
            monitor.warnings.stream().distinct().forEach(w ->
                    problems.add(label + ": broken " + encoding + " (" + w + ")"));
            return Optional.of(charsetDecoded(bytes, part.getCharset(), label).replace("\r\n", "\n").replace('\r', '\n'));
        }

        private InputStream transferDecoded(byte[] raw, String encoding, DecodeMonitor monitor, String label) {
            return switch (encoding) {
                case "base64" -> new Base64InputStream(new ByteArrayInputStream(raw), monitor);
                // Archives and some mailers store lines with LF alone; the decoder wants CRLF.
                case "quoted-printable" -> new QuotedPrintableInputStream(new ByteArrayInputStream(crlf(raw)), monitor);
                case "", "7bit", "8bit", "binary" -> new ByteArrayInputStream(raw);
                default -> {
                    problems.add(label + ": unknown Content-Transfer-Encoding " + encoding);
                    yield new ByteArrayInputStream(raw);
                }
            };
        }

        /**
         * Whether base64 letters follow the {@code =} padding. RFC 2045 ends the data at the padding
         * and mime4j's decoder drops the rest without a word, so the loss is found here.
         */
        private static boolean dataAfterPadding(byte[] raw) {
            boolean padded = false;
            for (byte b : raw) {
                if (b == '=') {
                    padded = true;
                } else if (padded && (Character.isLetterOrDigit(b) || b == '+' || b == '/') && b < 128) {
                    return true;
                }
            }
            return false;
        }

        private static byte[] crlf(byte[] raw) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 40);
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                    out.write('\r');
                }
                out.write(raw[i]);
            }
            return out.toByteArray();
        }

        private String charsetDecoded(byte[] bytes, String declared, String label) {
            String name = declared == null || declared.isBlank() ? "us-ascii" : declared.strip();
            Charset charset = CharsetUtil.lookup(name);
            if (charset == null) {
                problems.add(label + ": unknown charset " + name);
                return lenient(bytes, StandardCharsets.UTF_8);
            }
            Optional<String> strict = strict(bytes, charset);
            if (strict.isPresent()) {
                return strict.get();
            }
            if (charset.equals(StandardCharsets.US_ASCII)) {
                Optional<String> utf8 = strict(bytes, StandardCharsets.UTF_8);
                if (utf8.isPresent()) {
                    return utf8.get();
                }
            }
            problems.add(label + ": bytes that are not valid " + charset.name());
            return lenient(bytes, charset);
        }

        private static Optional<String> strict(byte[] bytes, Charset charset) {
            try {
                return Optional.of(charset.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString());
            } catch (CharacterCodingException e) {
                return Optional.empty();
            }
        }

        private static String lenient(byte[] bytes, Charset charset) {
            try {
                return charset.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return new String(bytes, StandardCharsets.ISO_8859_1); // REPLACE never throws; keep the bytes visible
            }
        }
    }

    private static boolean isPlainText(Entity part) {
        return lower(part.getMimeType()).equals("text/plain");
    }

    private static boolean isAttachment(Entity part) {
        return "attachment".equals(lower(part.getDispositionType()));
    }

    private static boolean isPatch(Entity part) {
        String mime = lower(part.getMimeType());
        String file = lower(part.getFilename());
        return mime.equals("text/x-patch") || mime.equals("text/x-diff") || mime.equals("text/diff")
                || mime.equals("application/x-patch") || mime.equals("application/x-diff")
                || (mime.startsWith("text/") && (file.endsWith(".patch") || file.endsWith(".diff")));
    }

    private static String lower(String s) {
        return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    }

    /** Keeps what mime4j's decoders complain about, and lets them go on (they skip what they cannot read). */
    private static final class RecordingMonitor extends DecodeMonitor {
        final List<String> warnings = new ArrayList<>();

        @Override
        public boolean warn(String error, String dummy) {
            warnings.add(error);
            return false;
        }

        @Override
        public boolean isListening() {
            return true;
        }
    }
}
