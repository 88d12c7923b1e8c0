package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.mail.domain.Mails.message;

class PatchedPathsTest {

    @Test
    void aPatchTouchesItsFile() {
        assertThat(PatchedPaths.in(message("patch-1-pvcalls-doc.eml"))).containsExactly("docs/misc/pvcalls.pandoc");
    }

    @Test
    void aCoverLetterTouchesThePathsItsDiffstatNames() {
        MailMessage cover = message("cover-letter.eml");
        assertThat(cover.body()).contains(" docs/misc/pvcalls.pandoc        | 58 ++++");
        assertThat(PatchedPaths.in(cover)).containsExactly("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h");
        assertThat(PatchedPaths.in(message("series-cover-letter.eml")))
                .containsExactly("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h");
    }

    @Test
    void aDiffstatAnywhereElseTouchesNothing() {
        // A patch touches what its diff touches: its own diffstat (docs/misc/pvcalls.pandoc too) adds nothing.
        String patch = new String(Mails.raw("patch-1-pvcalls-doc.eml"), StandardCharsets.UTF_8)
                .replace(" docs/misc/pvcalls.pandoc | 24 ", " xen/include/public/io/pvcalls.h | 24 ");
        assertThat(PatchedPaths.in(MailMessage.parse(Mails.bytes(patch)))).containsExactly("docs/misc/pvcalls.pandoc");
        // The cover letter's text as part 1, and a reply quoting the cover letter's diffstat.
        String cover = new String(Mails.raw("series-cover-letter.eml"), StandardCharsets.UTF_8);
        assertThat(PatchedPaths.in(MailMessage.parse(Mails.bytes(cover.replace("[PATCH v2 0/2]", "[PATCH v2 1/2]")))))
                .isEmpty();
        assertThat(PatchedPaths.in(message("series-reply-acked.eml"))).isEmpty();
    }

    @Test
    void anAttachedPatchCounts() {
        assertThat(PatchedPaths.in(message("multipart-attached-patch.eml")))
                .containsExactly("xen/include/public/io/pvcalls.h");
    }

    @Test
    void aQuotedPatchIsSomeoneElses() {
        assertThat(PatchedPaths.in(message("reply-nack-abi.eml"))).isEmpty();
    }

    @Test
    void renamesTouchBothPathsAndDeletionsTheOldOne() {
        String patch = """
                diff --git a/docs/misc/pvcalls.markdown b/docs/misc/pvcalls.pandoc
                similarity index 100%
                rename from docs/misc/pvcalls.markdown
                rename to docs/misc/pvcalls.pandoc
                diff --git a/docs/misc/old.txt b/docs/misc/old.txt
                deleted file mode 100644
                --- a/docs/misc/old.txt
                +++ /dev/null
                @@ -1 +0,0 @@
                -gone
                """;
        assertThat(PatchedPaths.of(patch)).containsExactly("docs/misc/pvcalls.markdown", "docs/misc/pvcalls.pandoc",
                "docs/misc/old.txt");
    }

    @Test
    void aNewFileAndAPlainUnifiedDiffWithTimestamps() {
        String patch = """
                --- /dev/null
                +++ b/xen/include/public/io/newif.h
                @@ -0,0 +1 @@
                +/* new */
                --- tools/xenstore/xs.c.orig\t2026-03-01 10:00:00.000000000 +0100
                +++ tools/xenstore/xs.c\t2026-03-02 10:00:00.000000000 +0100
                """;
        assertThat(PatchedPaths.of(patch)).containsExactly("xen/include/public/io/newif.h", "tools/xenstore/xs.c");
    }

    @Test
    void gitQuotedPathsAndUnquotedPathsWithSpaces() {
        String patch = """
                diff --git "a/docs/misc/with space.pandoc" "b/docs/misc/with space.pandoc"
                diff --git "a/docs/gr\\303\\274\\303\\237e.md" "b/docs/gr\\303\\274\\303\\237e.md"
                diff --git a/docs/two words.md b/docs/two words.md
                """;
        assertThat(PatchedPaths.of(patch)).containsExactly("docs/misc/with space.pandoc", "docs/grüße.md",
                "docs/two words.md");
    }

    @Test
    void aLonelyDashLineOrADiffstatIsNoHeader() {
        String text = """
                ---
                 docs/misc/pvcalls.pandoc | 2 +-
                --- a/only/one/side.c
                a line between
                +++ b/only/one/side.c
                """;
        assertThat(PatchedPaths.of(text)).isEmpty();
    }
}
