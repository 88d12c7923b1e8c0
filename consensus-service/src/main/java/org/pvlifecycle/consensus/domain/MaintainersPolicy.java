package org.pvlifecycle.consensus.domain;

import org.pvlifecycle.events.paths.FilePattern;
import org.pvlifecycle.consensus.domain.MaintainersFile.Person;
import org.pvlifecycle.consensus.domain.MaintainersFile.Section;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy's maintainers as a Xen MAINTAINERS file gives them (docs/rules.md#policy): every
 * section is a component, its id the title's slug and the title its display name; its people are
 * its {@code M:} entries, each by its lower-cased address, which is also the person id the mail
 * bridge gives a sender it does not otherwise know. A section without {@code M:} (an orphan) is
 * kept with no maintainers, so that paths under it still derive its component and its acks are
 * seen to be missing rather than the component vanishing. {@code R:} reviewers are not
 * maintainers: an ack counts only from a maintainer.
 */
public final class MaintainersPolicy {

    /** A MAINTAINERS text that would leave the policy without any maintainer. */
    public static final class NoMaintainersException extends IllegalArgumentException {
        NoMaintainersException() {
            super("no section has an M: maintainer (\"M:\tName <address>\"), so no ack could ever count");
        }
    }

    private MaintainersPolicy() {
    }

    /** {@code current} at {@code newVersion} with the file's components; windows and switches stay as they are. */
    public static Policy apply(Policy current, MaintainersFile file, long newVersion) {
        requireAMaintainer(file);
        Map<String, List<String>> people = new LinkedHashMap<>();
        Map<String, Policy.Component> described = new LinkedHashMap<>();
        for (Section s : file.sections()) {
            people.put(s.id(), s.maintainers().stream().map(Person::address).distinct().toList());
            described.put(s.id(), new Policy.Component(s.title(),
                    s.files().stream().map(FilePattern::glob).toList(),
                    s.excludes().stream().map(FilePattern::glob).toList(),
                    s.maintainers().stream().map(MaintainersPolicy::contact).toList()));
        }
        return current.withComponents(newVersion, Collections.unmodifiableMap(people),
                Collections.unmodifiableMap(described));
    }

    /** Refuses a file in which no section has an {@code M:} entry. */
    public static void requireAMaintainer(MaintainersFile file) {
        if (file.sections().stream().allMatch(s -> s.maintainers().isEmpty())) {
            throw new NoMaintainersException();
        }
    }

    /** {@code Name <address>}, or {@code <address>} for a bare address; a name never holds the brackets. */
    static String contact(Person p) {
        String name = p.name().replaceAll("[<>]", "").strip();
        return name.isEmpty() ? "<" + p.address() + ">" : name + " <" + p.address() + ">";
    }
}
