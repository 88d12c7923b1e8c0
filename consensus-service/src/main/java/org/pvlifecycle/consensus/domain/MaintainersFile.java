package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.paths.FilePattern;
import org.pvlifecycle.events.paths.PathCoverage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Xen {@code MAINTAINERS} file read as the policy's components (docs/rules.md), and the
 * components a proposal's paths fall in, as xen.git's {@code scripts/get_maintainer.pl} finds them.
 *
 * <p><b>Layout.</b> As in the script, a tagged line is a capital letter, a colon and a value
 * ({@code M:\tJuergen Gross <jgross@suse.com>}); the first section is the title line (the last
 * non-blank line) before the first tagged line, and everything above it is the preamble, which is
 * skipped (its tag descriptions are indented, so none of them is a tagged line). A section is a
 * title line followed by its tagged lines; blank lines separate sections and may separate tagged
 * lines. {@code M:} are the maintainers and {@code R:} the designated reviewers, each
 * {@code Name <address>} (the address lower-cased; a bare address has an empty name);
 * {@code F:} and {@code X:} are file patterns ({@link FilePattern}); every other tag ({@code S:},
 * {@code L:}, {@code T:}, {@code W:}, {@code K:}, {@code V:}, ...) is kept as an {@link Entry}.
 *
 * <p><b>Malformed text is refused, not skipped</b>, with a {@link MaintainersFormatException}
 * naming the line: skipping a line would silently drop a maintainer or a pattern from the policy
 * the Czar is setting. Refused are: a text without any tagged line; a non-blank line directly
 * after a tagged line that is not itself tagged (a broken tag such as {@code M Jane <j@x.org>}, or a
 * title missing the blank line above it: the two cannot be told apart); a title with no tagged
 * line under it; an {@code M:} or {@code R:} value without an address; an empty {@code F:} or
 * {@code X:}; a title without a letter or digit.
 *
 * <p><b>Component ids.</b> The title as a slug: lower case, every run of characters other than
 * {@code a-z} and {@code 0-9} one {@code -}, no {@code -} at either end, cut at 64 characters and
 * any {@code -} the cut leaves at the end removed ({@code PUBLIC I/O INTERFACES AND PV DRIVERS
 * DESIGNS} is {@code public-i-o-interfaces-and-pv-drivers-designs}). Letters outside a-z (such as
 * {@code é}) are separators. When a slug is already taken by an earlier section, the section gets
 * the first free {@code slug-2}, {@code slug-3}, ... (the slug cut so that the id stays within 64
 * characters), in the order of the file, so the first section keeps the plain slug.
 *
 * <p><b>Paths to components.</b> A path is covered by every section with an {@code F:} pattern
 * matching it and no {@code X:} pattern matching it (an exclusion drops the whole section for that
 * path, as in the script), most specific first ({@link FilePattern#depth()}, the deepest of the
 * section's matching patterns; file order among equals). {@code THE REST}, the catch-all section,
 * is left out when another covering section has a maintainer, as the script leaves out its
 * supporters then.
 */
public final class MaintainersFile {

    /** The catch-all section's title in xen.git's MAINTAINERS. */
    public static final String THE_REST = PathCoverage.THE_REST;
    public static final int MAX_ID_LENGTH = 64;

    /* No lazy groups before optional spaces: they backtrack quadratically on long lines. */
    private static final Pattern TAGGED = Pattern.compile("^([A-Z]):(.*)$");
    private static final Pattern NAME_ADDRESS = Pattern.compile("^([^<]*)<\\s*([^<>\\s]+@[^<>\\s]+)\\s*>$");
    private static final Pattern BARE_ADDRESS = Pattern.compile("^[^<>\\s]+@[^<>\\s]+$");
    private static final Pattern NOT_SLUG = Pattern.compile("[^a-z0-9]+");

    /** A maintainer or reviewer: the name as written and the lower-cased address. */
    public record Person(String name, String address) {
    }

    /** A tagged line other than M:, R:, F: and X:, with its 1-based line. */
    public record Entry(char tag, String value, int line) {
    }

    /** One section: its component id, its title (the display name) and its tagged lines. */
    public record Section(String id, String title, int line, List<Person> maintainers, List<Person> reviewers,
            List<FilePattern> files, List<FilePattern> excludes, List<Entry> entries) {

        public Section {
            maintainers = List.copyOf(maintainers);
            reviewers = List.copyOf(reviewers);
            files = List.copyOf(files);
            excludes = List.copyOf(excludes);
            entries = List.copyOf(entries);
        }

        /** The values of this section's lines with the tag, in file order. */
        public List<String> values(char tag) {
            return entries.stream().filter(e -> e.tag() == tag).map(Entry::value).toList();
        }

        /** The {@code S:} status ("Supported", "Orphan", ...), or "" when there is none. */
        public String status() {
            return values('S').stream().findFirst().orElse("");
        }

        public boolean isTheRest() {
            return title.equalsIgnoreCase(THE_REST);
        }

        /** This section as far as paths go. */
        PathCoverage.Area area() {
            return new PathCoverage.Area(id, isTheRest(), !maintainers.isEmpty(), files, excludes);
        }
    }

    /** A section covering a path, and how specifically. */
    public record Coverage(Section section, int depth) {
    }

    private final List<Section> sections;

    private MaintainersFile(List<Section> sections) {
        this.sections = List.copyOf(sections);
    }

    public List<Section> sections() {
        return sections;
    }

    public Optional<Section> section(String id) {
        return sections.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Component id → the addresses of its {@code M:} maintainers, in file order. */
    public Map<String, List<String>> maintainerAddresses() {
        Map<String, List<String>> byId = new LinkedHashMap<>();
        for (Section s : sections) {
            byId.put(s.id(), s.maintainers().stream().map(Person::address).toList());
        }
        return byId;
    }

    /** The sections covering the path, most specific first (the class comment says which). */
    public List<Coverage> coverage(String path) {
        return PathCoverage.coverage(areas(), path).stream()
                .map(c -> new Coverage(section(c.area().id()).orElseThrow(), c.depth())).toList();
    }

    /** The ids of the sections covering any of the paths, most specific first per path, each once. */
    public List<String> componentsFor(Collection<String> paths) {
        return PathCoverage.componentsFor(areas(), paths);
    }

    private List<PathCoverage.Area> areas() {
        return sections.stream().map(Section::area).toList();
    }

    public static MaintainersFile parse(String text) {
        String[] lines = text.split("\\R", -1);
        int firstTagged = -1;
        for (int i = 0; i < lines.length && firstTagged < 0; i++) {
            if (TAGGED.matcher(lines[i]).matches()) {
                firstTagged = i;
            }
        }
        if (firstTagged < 0) {
            throw new MaintainersFormatException(1, "no section: no line is a tagged entry such as \"M:\tName <address>\"");
        }
        int title = firstTagged - 1;
        while (title >= 0 && lines[title].isBlank()) {
            title--;
        }
        if (title < 0) {
            throw new MaintainersFormatException(firstTagged + 1, "a tagged entry before any section title");
        }

        List<Section> sections = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        SectionBuilder current = null;
        boolean afterTagged = false;
        for (int i = title; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            if (line.isBlank()) {
                afterTagged = false;
                continue;
            }
            Matcher tagged = TAGGED.matcher(line);
            if (tagged.matches()) {
                current.add(tagged.group(1).charAt(0), tagged.group(2).strip(), number);
                afterTagged = true;
                continue;
            }
            if (afterTagged) {
                throw new MaintainersFormatException(number, "\"" + line.strip() + "\" is not a tagged entry"
                        + " (\"X:\\tvalue\"), and a section title needs a blank line above it");
            }
            if (current != null) {
                sections.add(current.build(ids));
            }
            current = new SectionBuilder(line.strip(), number);
        }
        sections.add(current.build(ids));
        return new MaintainersFile(sections);
    }

    /** The title as a component id without regard to other sections (the class comment says how). */
    public static String slug(String title) {
        String slug = NOT_SLUG.matcher(title.toLowerCase(Locale.ROOT)).replaceAll("-");
        return trimDashes(slug.length() > MAX_ID_LENGTH ? slug.substring(0, MAX_ID_LENGTH) : slug);
    }

    private static String trimDashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '-') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '-') {
            to--;
        }
        return s.substring(from, to);
    }

    /** The slug if free, else the first free {@code slug-N} from 2, cut to fit 64 characters. */
    static String uniqueId(String slug, Set<String> taken) {
        if (taken.add(slug)) {
            return slug;
        }
        for (int n = 2; ; n++) {
            String suffix = "-" + n;
            String base = slug.length() + suffix.length() > MAX_ID_LENGTH
                    ? trimDashes(slug.substring(0, MAX_ID_LENGTH - suffix.length()))
                    : slug;
            String id = base + suffix;
            if (taken.add(id)) {
                return id;
            }
        }
    }

    private static Person person(char tag, String value, int line) {
        Matcher named = NAME_ADDRESS.matcher(value.strip());
        if (named.matches()) {
            String name = named.group(1).strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1).strip();
            }
            return new Person(name, named.group(2).toLowerCase(Locale.ROOT));
        }
        if (BARE_ADDRESS.matcher(value).matches()) {
            return new Person("", value.toLowerCase(Locale.ROOT));
        }
        throw new MaintainersFormatException(line, tag + ": needs \"Name <address>\", not \"" + value + "\"");
    }

    private static final class SectionBuilder {
        private final String title;
        private final int line;
        private final List<Person> maintainers = new ArrayList<>();
        private final List<Person> reviewers = new ArrayList<>();
        private final List<FilePattern> files = new ArrayList<>();
        private final List<FilePattern> excludes = new ArrayList<>();
        private final List<Entry> entries = new ArrayList<>();
        private int taggedLines;

        SectionBuilder(String title, int line) {
            this.title = title;
            this.line = line;
        }

        void add(char tag, String value, int number) {
            taggedLines++;
            switch (tag) {
                case 'M' -> maintainers.add(person(tag, value, number));
                case 'R' -> reviewers.add(person(tag, value, number));
                case 'F', 'X' -> {
                    if (value.isEmpty()) {
                        throw new MaintainersFormatException(number, tag + ": without a file pattern");
                    }
                    (tag == 'F' ? files : excludes).add(new FilePattern(value));
                }
                default -> entries.add(new Entry(tag, value, number));
            }
        }

        Section build(Set<String> taken) {
            if (taggedLines == 0) {
                throw new MaintainersFormatException(line, "section \"" + title + "\" has no tagged entries");
            }
            String slug = slug(title);
            if (slug.isEmpty()) {
                throw new MaintainersFormatException(line, "section title \"" + title + "\" has no letter or digit");
            }
            return new Section(uniqueId(slug, taken), title, line, maintainers, reviewers, files, excludes, entries);
        }
    }
}
