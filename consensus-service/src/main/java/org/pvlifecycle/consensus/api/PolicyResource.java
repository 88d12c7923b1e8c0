package org.pvlifecycle.consensus.api;

import org.pvlifecycle.eventstore.SessionSql;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pvlifecycle.consensus.DeadlineScheduler;
import org.pvlifecycle.consensus.domain.MaintainersFile;
import org.pvlifecycle.consensus.domain.MaintainersFormatException;
import org.pvlifecycle.consensus.domain.MaintainersPolicy;
import org.pvlifecycle.consensus.domain.Policy;
import org.pvlifecycle.consensus.persistence.ConsensusRepository;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.conventions.rest.Caller;
import org.pvlifecycle.conventions.rest.ProblemException;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/** The policy: read by anyone, changed by the Czar, every change an event (docs/rules.md). */
@Path("/policy")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "policy", description = "Review windows, deadlines, maintainers; versioned")
public class PolicyResource {
    /* xen.git's file is about 30 000 characters; this leaves room and bounds the parse. */
    static final int MAX_MAINTAINERS_CHARS = 2_000_000;

    @Inject
    ConsensusRepository repository;

    @Inject
    EventStore store;

    @Inject
    DeadlineScheduler deadlines;

    @Inject
    JsonWebToken token;

    @Inject
    Clock clock;

    @GET
    @Operation(summary = "The policy in force, with its version")
    public Uni<PolicyDocument> get() {
        return repository.policy().map(PolicyDocument::of);
    }

    @PUT
    @RolesAllowed("czar")
    @Operation(summary = "Replaces the policy; every open proposal is re-evaluated against it at once")
    public Uni<PolicyDocument> put(@Valid @NotNull PolicyDocument body) {
        return change(current -> body.toPolicy(current.version() + 1));
    }

    @PUT
    @Path("/maintainers")
    @RolesAllowed("czar")
    @Consumes(MediaType.TEXT_PLAIN)
    @Operation(summary = "Sets the policy's components and maintainers from the text of a Xen MAINTAINERS file",
            description = "Each section is a component: id the title's slug, the title its display name, the M: "
                    + "addresses (lower-cased) its maintainers, F:/X: its file patterns. The rest of the policy stays.")
    public Uni<PolicyDocument> putMaintainers(String text) {
        MaintainersFile file = readMaintainers(text);
        return change(current -> MaintainersPolicy.apply(current, file, current.version() + 1));
    }

    /** Reads the body as MAINTAINERS or refuses it, naming the body and, where there is one, the line at fault. */
    static MaintainersFile readMaintainers(String text) {
        if (text == null || text.isBlank()) {
            throw ProblemException.invalid("body", "must be the text of a Xen MAINTAINERS file, not empty");
        }
        if (text.length() > MAX_MAINTAINERS_CHARS) {
            throw ProblemException.invalid("body", "at most " + MAX_MAINTAINERS_CHARS + " characters");
        }
        try {
            MaintainersFile file = MaintainersFile.parse(text);
            MaintainersPolicy.requireAMaintainer(file);
            return file;
        } catch (MaintainersFormatException | MaintainersPolicy.NoMaintainersException e) {
            throw ProblemException.invalid("body", e.getMessage());
        }
    }

    /** The next policy, made from the current one under its lock, as event n - 1 of the policy's own stream. */
    private Uni<PolicyDocument> change(Function<Policy, Policy> next) {
        return SessionSql.inTransaction(() -> repository.lockPolicy().flatMap(current -> {
                    Policy changed = next.apply(current);
                    // The policy is an aggregate of its own: version n is its event n - 1.
                    return store.append(PolicyChanged.POLICY_SUBJECT, current.version() - 1, Caller.subject(token),
                                    List.of(changed.toEvent()))
                            .flatMap(appended -> repository.savePolicy(changed))
                            .flatMap(saved -> repository.allOpenDue(clock.instant()))
                            .replaceWith(changed);
                }))
                .call(changed -> deadlines.fireAll())
                .map(PolicyDocument::of);
    }
}
