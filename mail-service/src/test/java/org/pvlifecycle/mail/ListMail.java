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

    /** Patch 3 of the test's vPCI series, which touches both x86 and ARM: its Message-ID. */
    String msixPatch() {
        return "20260311160230.9921-4-mara.kovac." + tag + "@example.com";
    }

    /** The subject of a reply to {@link #msixPatch()}. */
    String msixReplySubject() {
        return "Re: [PATCH v3 " + proposal + " 3/5] vpci/msix: handle accesses adjacent to the MSI-X table";
    }

    /**
     * A reply from {@code from} to {@link #msixPatch()}, quoting both architectures' hunks, with
     * {@code trailers} below them, signed with the first word of {@code from}.
     */
    byte[] msixReply(String from, String messageId, String date, String trailers) {
        String text = "From: " + from + "\n"
                + "To: Mara Kovac <mara.kovac@example.com>\n"
                + "Cc: xen-devel@lists.xenproject.org\n"
                + "Subject: " + msixReplySubject() + "\n"
                + "Date: " + date + "\n"
                + "Message-ID: <" + messageId + ">\n"
                + "In-Reply-To: <" + msixPatch() + ">\n"
                + "References: <" + msixPatch() + ">\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=UTF-8\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "List-Id: Xen developer discussion <xen-devel.lists.xenproject.org>\n"
                + "Precedence: list\n"
                + "\n"
                + "On 11.03.2026 17:02, Mara Kovac wrote:\n"
                + "> --- a/xen/arch/x86/hvm/vmsi.c\n"
                + "> +++ b/xen/arch/x86/hvm/vmsi.c\n"
                + "> @@ -644,6 +644,12 @@ static int cf_check msix_read(\n"
                + "> +    if ( !access_allowed(msix->pdev, addr, len) )\n"
                + "> +        return X86EMUL_OKAY;\n"
                + "> --- a/xen/arch/arm/vpci.c\n"
                + "> +++ b/xen/arch/arm/vpci.c\n"
                + "> @@ -38,6 +38,9 @@ static int vpci_mmio_read(struct vcpu *v, mmio_info_t *info,\n"
                + "> +    if ( !vpci_msix_access_allowed(pdev, info->gpa) )\n"
                + "> +        return 1;\n"
                + "\n"
                + trailers + "\n"
                + "\n"
                + from.substring(0, from.indexOf(' ')) + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
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
