package org.pvlifecycle.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The xen-devel messages of the mail service's own tests (README.txt beside them says what each
 * is), read where they are and made new for one test: {@code pvcalls-v2} in their subjects becomes
 * the test's proposal, and every message id gets the test's tag, so that the mail service, which
 * remembers every Message-ID it was sent, takes no message of this test for one of another.
 */
final class ListMessages {
    static final Path DIR = Stack.ROOT.resolve("mail-service/src/test/resources/mail");
    /**
     * A message id in angle brackets whose local part holds a digit: every message id of the
     * thread has one, and no address of its people, which must stay as the identity map has them.
     */
    private static final Pattern MESSAGE_ID = Pattern.compile("<([^<>@\\s]*\\d[^<>@\\s]*)(@[^<>\\s]+)>");

    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    /** The proposal the messages name in their subjects. */
    String proposal() {
        return "lt-" + tag;
    }

    /** The file, with this test's proposal and message ids, as the bytes a gateway posts. */
    byte[] bytes(String file) {
        String text;
        try {
            text = Files.readString(DIR.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String renamed = MESSAGE_ID.matcher(text.replace("pvcalls-v2", proposal()))
                .replaceAll(id -> Matcher.quoteReplacement("<" + id.group(1) + "." + tag + id.group(2) + ">"));
        return renamed.getBytes(StandardCharsets.UTF_8);
    }

    /** A message id as the file writes it (without angle brackets), as it is in this test. */
    String id(String messageId) {
        int at = messageId.indexOf('@');
        return messageId.substring(0, at) + "." + tag + messageId.substring(at);
    }
}
