package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.mail.domain.Mails.message;

class DiffstatTest {

    @Test
    void theDiffstatOfACoverLetterBelowItsShortlog() {
        String cover = """
                Juergen Gross (2):
                  xen/public: add pvcalls definitions
                  docs: describe pvcalls

                 docs/misc/pvcalls.pandoc         | 1122 ++++++++++++++++++++++++++++++++
                 xen/include/public/io/pvcalls.h  |  153 +++++
                 .../include/public/arch-x86/cpuid.h |   4 +-
                 tools/{old => new}/name.c        |   2 +-
                 3 files changed, 1275 insertions(+), 4 deletions(-)
                 create mode 100644 docs/misc/pvcalls.pandoc

                --\s
                2.43.0
                """;
        assertThat(Diffstat.paths(cover)).containsExactly("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h",
                ".../include/public/arch-x86/cpuid.h", "tools/old/name.c", "tools/new/name.c");
        assertThat(Diffstat.paths(message("series-cover-letter.eml").body()))
                .containsExactly("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h");
    }

    @Test
    void renamesNameBothPaths() {
        String stat = """
                 docs/misc/{pvcalls.markdown => pvcalls.pandoc}     |  0
                 xen/arch/x86/{ => hvm}/vpt.c                       | 12 ++++++------
                 {tools/libxc => xen/lib}/cpuid.c                   |  4 ++--
                 README.pvcalls => docs/README.pvcalls              |  0
                 .../{pv-calls => pvcalls}/frontend.c               |  2 +-
                 5 files changed, 9 insertions(+), 9 deletions(-)
                """;
        assertThat(Diffstat.paths(stat)).containsExactly("docs/misc/pvcalls.markdown", "docs/misc/pvcalls.pandoc",
                "xen/arch/x86/vpt.c", "xen/arch/x86/hvm/vpt.c", "tools/libxc/cpuid.c", "xen/lib/cpuid.c",
                "README.pvcalls", "docs/README.pvcalls", ".../pv-calls/frontend.c", ".../pvcalls/frontend.c");
    }

    @Test
    void binaryFilesModeChangesAndQuotedPaths() {
        String stat = """
                 tools/firmware/vgabios/vgabios.bin   | Bin 0 -> 32768 bytes
                 docs/figs/pvcalls-rings.png          | Bin 4123 -> 4371 bytes
                 tools/hotplug/Linux/vif-pvcalls      | 0
                 "docs/misc/gr\\303\\274\\303\\237e.pandoc" | 2 +-
                 4 files changed, 1 insertion(+), 1 deletion(-)
                 create mode 100644 tools/firmware/vgabios/vgabios.bin
                 mode change 100644 => 100755 tools/hotplug/Linux/vif-pvcalls
                """;
        assertThat(Diffstat.paths(stat)).containsExactly("tools/firmware/vgabios/vgabios.bin",
                "docs/figs/pvcalls-rings.png", "tools/hotplug/Linux/vif-pvcalls", "docs/misc/grüße.pandoc");
    }

    @Test
    void aCutThatLeftNoWholeComponentNamesNothing() {
        String stat = """
                 ...pvcalls_frontend_with_a_very_long_name.c       |  2 +-
                 .../old-name.c => b/new-name.c}/file.c            |  2 +-
                 .../public/io/pvcalls.h                           |  9 ++++-
                 3 files changed, 10 insertions(+), 3 deletions(-)
                """;
        assertThat(Diffstat.paths(stat)).containsExactly(".../public/io/pvcalls.h");
    }

    @Test
    void aTableInProseIsNoDiffstat() {
        String prose = """
                Throughput with one and with four data rings, in MB/s:

                 test               | v1   | v2
                 stream, 1 ring     | 812  | 809
                 stream, 4 rings    | 815  | 2987
                 xen/include/public | 12 ++

                The 4 rings case is where it pays off.
                """;
        assertThat(Diffstat.paths(prose)).isEmpty();
    }

    @Test
    void aQuotedDiffstatIsSomeoneElses() {
        String reply = """
                On 10/03/2026 08:15, Mara Kovac wrote:
                >  docs/misc/pvcalls.pandoc        | 41 ++++++++++++++++++++++++++++++---
                >  xen/include/public/io/pvcalls.h | 12 +++++++---
                >  2 files changed, 47 insertions(+), 6 deletions(-)

                For the series:
                Acked-by: Tomas Lind <tomas.lind@example.net>
                """;
        assertThat(Diffstat.paths(reply)).isEmpty();
        assertThat(Diffstat.paths(message("series-reply-acked.eml").body())).isEmpty();
    }

    @Test
    void theFileLinesMustBeRightAboveTheSummary() {
        String broken = """
                 xen/include/public/io/pvcalls.h | 12 +++++++---

                 1 file changed, 9 insertions(+), 3 deletions(-)
                """;
        assertThat(Diffstat.paths(broken)).isEmpty();
        assertThat(Diffstat.paths(" 2 files changed, 47 insertions(+), 6 deletions(-)\n")).isEmpty();
    }
}
