package org.pvlifecycle.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test messages of resources mail/ (README.txt there says what each is), made new for one
 * test: the proposal id {@code pvcalls-v2} becomes the test's own, and every message id gets the
 * test's tag, so that the tests of one run, which share one database, never see each other's
 * messages as duplicates. The senders' addresses stay as they are (their local parts have no digit;
 * every message id's has).
 */
final class ListMail {
    private static final Pattern MESSAGE_ID = Pattern.compile("<([^<>@\\s]*\\d[^<>@\\s]*)@([^<>\\s]+)>");

    final String proposal;
    final String tag;

    private ListMail(String proposal, String tag) {
        this.proposal = proposal;
        this.tag = tag;
    }

    /** A new proposal id and tag. */
    static ListMail fresh() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        return new ListMail("pv-" + tag, tag);
    }

    /** The resource, for this test. */
    String text(String resource) {
        return retag(read(resource));
    }

    byte[] bytes(String resource) {
        return text(resource).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code text} (a message or an archive) with this test's proposal id and message ids. */
    String retag(String text) {
        Matcher m = MESSAGE_ID.matcher(text.replace("pvcalls-v2", proposal));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("<" + m.group(1) + "." + tag + "@" + m.group(2) + ">"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The id of a message of this test: {@code id} as the resource writes it, with the tag. */
    String id(String id) {
        int at = id.indexOf('@');
        return id.substring(0, at) + "." + tag + id.substring(at);
    }

    static String read(String resource) {
        try (InputStream in = ListMail.class.getResourceAsStream("/mail/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource mail/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
