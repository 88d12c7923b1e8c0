package org.pvlifecycle.proposal.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * How a spec's text reads: CommonMark ATX headings and a public header's dashed titles; and its
 * lines, header test and structs, found by hand-written scans that must agree with the regular
 * expressions they replace (the oracles below) on any text.
 */
class SpecTextTest {

    @Test
    void atxHeadingsAsCommonMarkReadsThem() {
        assertThat(SpecText.atxHeading("## ABI ##")).contains("ABI");
        assertThat(SpecText.atxHeading("   # ABI")).contains("ABI");
        assertThat(SpecText.atxHeading("#")).contains("");
        assertThat(SpecText.atxHeading("# C#")).contains("C#");
        assertThat(SpecText.atxHeading("    # code")).isEmpty();
        assertThat(SpecText.atxHeading("#ABI")).isEmpty();
        assertThat(SpecText.atxHeading("####### seven")).isEmpty();
    }

    @Test
    void dashedTitles() {
        assertThat(SpecText.dashedTitle(" ----- Requests -----")).contains("Requests");
        assertThat(SpecText.dashedTitle("--- N.B. ---")).contains("N.B.");
        assertThat(SpecText.dashedTitle("----------")).isEmpty();
        assertThat(SpecText.dashedTitle("-- short --")).isEmpty();
    }

    /** Pieces of text where lines break and structs hide, every kind of line break among them. */
    private static final List<String> PIECES = List.of("a", " ", "struct", "struct ", "x {", "{", "_", "s",
            "\n", "\r", "\r\n", "\u000B", "\u000C", "\u0085", "\u2028", "\u2029", "/*", "//", "#define X", "  ", "#");

    private static org.quicktheories.core.Gen<String> texts() {
        return lists().of(arbitrary().pick(PIECES)).ofSizeBetween(0, 30).map(parts -> String.join("", parts));
    }

    @Test
    void linesAreCutAsSplittingAtEveryLineBreakCutsThem() {
        qt().withExamples(2000).forAll(texts()).checkAssert(text ->
                assertThat(SpecText.lines(text)).isEqualTo(List.of(text.split("\\R", -1))));
    }

    @Test
    void aHeaderIsRecognisedByItsFirstNonBlankLine() {
        qt().withExamples(2000).forAll(texts()).checkAssert(text -> {
            String first = Stream.of(text.split("\\R", -1)).filter(l -> !l.isBlank()).findFirst().orElse("").stripLeading();
            boolean expected = first.startsWith("/*") || first.startsWith("//")
                    || first.matches("#(include|ifndef|ifdef|if|define|pragma)\\b.*");
            assertThat(SpecText.isHeader(text)).isEqualTo(expected);
        });
    }

    @Test
    void structsAreWhatTheirPatternFindsAnywhereInTheText() {
        Pattern struct = Pattern.compile("\\bstruct(?:\\s+([A-Za-z_]\\w*))?\\s*\\{");
        qt().withExamples(2000).forAll(texts()).checkAssert(text -> {
            List<SpecAnalysis.StructLocation> expected = new ArrayList<>();
            Matcher m = struct.matcher(text);
            while (m.find()) {
                expected.add(new SpecAnalysis.StructLocation(m.group(1), SpecText.lineBreaks(text, 0, m.start()) + 1));
            }
            assertThat(SpecAnalysis.structs(text)).isEqualTo(expected);
        });
    }
}
