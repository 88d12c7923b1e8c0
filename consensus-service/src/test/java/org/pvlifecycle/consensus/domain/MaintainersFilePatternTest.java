package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.paths.FilePattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** F:/X: pattern semantics of MaintainersFile, one rule of get_maintainer.pl per test. */
class MaintainersFilePatternTest {

    static FilePattern f(String glob) {
        return new FilePattern(glob);
    }

    @Test
    void aTrailingSlashMatchesEverythingInAndBelowTheDirectory() {
        assertThat(f("drivers/net/").matches("drivers/net/a.c")).isTrue();
        assertThat(f("drivers/net/").matches("drivers/net/x/y/z.c")).isTrue();
        assertThat(f("drivers/net/").matches("drivers/network/a.c")).isFalse();
        assertThat(f("drivers/net/").matches("drivers/net")).isFalse();
        assertThat(f("*/").matches("docs/misc/pvcalls.pandoc")).isTrue();
        assertThat(f("*/").matches("README")).isFalse();
    }

    @Test
    void withoutTheSlashAPatternMatchesPathsOfAsManySegments() {
        assertThat(f("drivers/net/*").matches("drivers/net/a.c")).isTrue();
        assertThat(f("drivers/net/*").matches("drivers/net/x/a.c")).isFalse();
        assertThat(f("*").matches("Makefile")).isTrue();
        assertThat(f("*").matches("docs/Makefile")).isFalse();
        assertThat(f("*/net/*").matches("drivers/net/a.c")).isTrue();
        assertThat(f("*/net/*").matches("a/b/net/c.c")).isFalse();
    }

    @Test
    void starAndQuestionMarkStayWithinASegment() {
        assertThat(f("xen/arch/*/livepatch*").matches("xen/arch/x86/livepatch.c")).isTrue();
        assertThat(f("xen/arch/*/livepatch*").matches("xen/arch/x86/mm/livepatch.c")).isFalse();
        assertThat(f("docs/*/xenstore*").matches("docs/misc/xenstore-paths.pandoc")).isTrue();
        assertThat(f("include/wl?.h").matches("include/wl1.h")).isTrue();
        assertThat(f("include/wl?.h").matches("include/wl/.h")).isFalse();
        assertThat(f("include/wl?.h").matches("include/wl.h")).isFalse();
    }

    @Test
    void otherCharactersAreLiteralAndTheWholeLastSegmentMustMatch() {
        assertThat(f("docs/README.remus").matches("docs/README.remus")).isTrue();
        assertThat(f("docs/README.remus").matches("docs/READMEXremus")).isFalse();
        // get_maintainer.pl's regular expression is anchored only at its start; segments are whole here.
        assertThat(f("docs/README.remus").matches("docs/README.remus.orig")).isFalse();
        assertThat(f("a+b/(c)").matches("a+b/(c)")).isTrue();
    }

    @Test
    void bracesAreAlternativesAsTheScriptExpandsThem() {
        assertThat(f("net/core.{c,h}").matches("net/core.c")).isTrue();
        assertThat(f("net/core.{c,h}").matches("net/core.h")).isTrue();
        assertThat(f("net/core.{c,h}").matches("net/core.o")).isFalse();
        assertThat(f("net/{a,b,}x").matches("net/x")).isTrue();
        assertThat(f("net/core.{c").matches("net/core.{c")).isTrue();
    }

    @Test
    void aPatternWithoutGlobCoversThePathsBelowIt() {
        assertThat(f("tools/python").matches("tools/python/setup.py")).isTrue();
        assertThat(f("tools/python").matches("tools/python")).isTrue();
        assertThat(f("tools/python").matches("tools/pythonic")).isFalse();
        assertThat(f("tools/py*").matches("tools/python/setup.py")).isFalse();
    }

    @Test
    void pathsAreReadWithoutALeadingDotSlashOrSlash() {
        assertThat(f("xen/include/public/io/").matches("./xen/include/public/io/ring.h")).isTrue();
        assertThat(f("xen/include/public/io/").matches("/xen/include/public/io/ring.h")).isTrue();
    }

    @Test
    void depthIsTheScriptsSpecificity() {
        assertThat(f("xen/include/public/io/").depth()).isEqualTo(4);
        assertThat(f("xen/arch/x86/mm/shadow/multi.c").depth()).isEqualTo(6);
        assertThat(f("tools/python").depth()).isEqualTo(2);
        assertThat(f("*/").depth()).isEqualTo(-1);
        assertThat(f("*.ac").depth()).isEqualTo(-1);
    }

    @Test
    void anEmptyPatternIsRefused() {
        assertThatThrownBy(() -> f("  ")).isInstanceOf(IllegalArgumentException.class);
    }
}
