package org.pvlifecycle.mail.domain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An mbox archive split into its messages' raw bytes (docs/mail.md), as list archives export them.
 *
 * <p>A message starts at a separator line beginning {@code From } (with the space) at the start
 * of the archive or right after an empty line; the separator is not part of the message, nor is
 * the empty line that ends each message before the next separator. A {@code From } line not after
 * an empty line stays in its message: archives that forgot to escape one keep it that way.
 *
 * <p>Escaping: in {@link Format#MBOXRD} a writer adds a {@code >} to every line matching
 * {@code >*From }, so one {@code >} is taken off each such line ({@code >From } becomes
 * {@code From }, {@code >>From } becomes {@code >From }). In {@link Format#MBOXO} only
 * {@code From } lines were escaped and a {@code >From } of the sender's was not, so the two cannot be
 * told apart: lines are left as they are. Line ends are kept as the archive has them.
 */
public final class Mbox {

    public enum Format { MBOXRD, MBOXO }

    private static final byte[] FROM = "From ".getBytes(StandardCharsets.US_ASCII);

    private Mbox() {
    }

    /** The messages of an mboxrd archive (what lore and the list archives export). */
    public static List<byte[]> split(byte[] archive) {
        return split(archive, Format.MBOXRD);
    }

    public static List<byte[]> split(byte[] archive, Format format) {
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> lines = lines(archive);
        int first = 0;
        while (first < lines.size() && isBlank(lines.get(first))) {
            first++;
        }
        if (first == lines.size()) {
            return messages;
        }
        if (!startsWith(lines.get(first), FROM, 0)) {
            throw new IllegalArgumentException("not an mbox archive: its first line does not start with \"From \"");
        }
        List<byte[]> current = null;
        boolean previousBlank = true;
        for (int i = first; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            if (previousBlank && startsWith(line, FROM, 0)) {
                if (current != null) {
                    messages.add(join(current));
                }
                current = new ArrayList<>();
                previousBlank = false;
                continue;
            }
            current.add(format == Format.MBOXRD ? unescaped(line) : line);
            previousBlank = isBlank(line);
        }
        messages.add(join(current));
        return messages;
    }

    /** Lines with their line ends. */
    private static List<byte[]> lines(byte[] archive) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < archive.length; i++) {
            if (archive[i] == '\n') {
                lines.add(Arrays.copyOfRange(archive, start, i + 1));
                start = i + 1;
            }
        }
        if (start < archive.length) {
            lines.add(Arrays.copyOfRange(archive, start, archive.length));
        }
        return lines;
    }

    /** The message without the empty line that separates it from the next one. */
    private static byte[] join(List<byte[]> lines) {
        int end = lines.size();
        if (end > 0 && isBlank(lines.get(end - 1))) {
            end--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < end; i++) {
            out.writeBytes(lines.get(i));
        }
        return out.toByteArray();
    }

    private static byte[] unescaped(byte[] line) {
        int quotes = 0;
        while (quotes < line.length && line[quotes] == '>') {
            quotes++;
        }
        if (quotes > 0 && startsWith(line, FROM, quotes)) {
            return Arrays.copyOfRange(line, 1, line.length);
        }
        return line;
    }

    /** Empty but for its line end. */
    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] line, byte[] prefix, int offset) {
        if (line.length - offset < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
