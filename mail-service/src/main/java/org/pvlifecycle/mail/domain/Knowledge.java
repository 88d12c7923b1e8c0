package org.pvlifecycle.mail.domain;

import org.pvlifecycle.events.Stage;
import org.pvlifecycle.mail.domain.ThreadReply.ObjectionStatus;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the mail service knows when it decides about one message: learnt from the other services'
 * events and from the messages before it, and chosen by the caller for this message (so that
 * deciding reads nothing).
 *
 * @param list        the list whose messages are applied (its {@code List-Id})
 * @param sender      the person the sender is: through the identity map, else the lower-cased address
 * @param proposals   the proposals the message may belong to, by id: those its subject names, those a
 *                    message it replies to belongs to, and those whose paths its patch touches
 * @param repliedTo   of the ids in its {@code In-Reply-To} and {@code References}, those of messages
 *                    known to belong to a proposal: message id → proposal id
 * @param objections  the objections raised by a message it replies to
 * @param maintainers the policy's maintainers: component → person ids
 * @param components  the policy's components as its MAINTAINERS sections describe them (title,
 *                    patterns), by id; empty when the policy describes none. A scoped trailer
 *                    names components by them ({@link AckScope})
 */
public record Knowledge(String list, String sender, Map<String, Proposal> proposals, Map<String, String> repliedTo,
        List<Objection> objections, Map<String, Set<String>> maintainers, Map<String, Component> components) {

    /** A proposal as the proposal service's events describe it. */
    public record Proposal(String id, String owner, Stage stage, List<String> components, List<String> paths) {
        public Proposal {
            components = List.copyOf(components);
            paths = List.copyOf(paths);
        }
    }

    /** An objection, its status as last learnt, and the Message-ID that raised it. */
    public record Objection(String id, String proposal, String author, ObjectionStatus status, String raisedBy) {
    }

    /**
     * A component as a MAINTAINERS section describes it: its title ({@code X86 ARCHITECTURE}; null if
     * none), its {@code F:} and {@code X:} patterns, and whether the section names a maintainer
     * ({@code M:}), which {@link org.pvlifecycle.events.paths.PathCoverage} needs to leave out THE REST.
     */
    public record Component(String title, List<String> files, List<String> excluded, boolean maintained) {
        public Component {
            files = files == null ? List.of() : List.copyOf(files);
            excluded = excluded == null ? List.of() : List.copyOf(excluded);
        }
    }

    public Knowledge {
        proposals = Map.copyOf(proposals);
        repliedTo = Map.copyOf(repliedTo);
        objections = List.copyOf(objections);
        maintainers = Map.copyOf(maintainers);
        components = Map.copyOf(components);
    }

    /** Knowing no component descriptions: a scoped trailer names components by their ids' words alone. */
    public Knowledge(String list, String sender, Map<String, Proposal> proposals, Map<String, String> repliedTo,
            List<Objection> objections, Map<String, Set<String>> maintainers) {
        this(list, sender, proposals, repliedTo, objections, maintainers, Map.of());
    }

    /** Whether {@code person} maintains {@code component} in the policy. */
    public boolean maintains(String person, String component) {
        return maintainers.getOrDefault(component, Set.of()).contains(person);
    }
}
