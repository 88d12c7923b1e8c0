package org.pvlifecycle.consensus.api;

import io.quarkus.hibernate.reactive.panache.Panache;
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
import org.pvlifecycle.consensus.domain.Policy;
import org.pvlifecycle.consensus.persistence.ConsensusRepository;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.eventstore.EventStore;
import org.pvlifecycle.conventions.rest.Caller;

import java.time.Clock;
import java.util.List;

/** The policy: read by anyone, changed by the Czar, every change an event (docs/rules.md). */
@Path("/policy")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "policy", description = "Review windows, deadlines, maintainers; versioned")
public class PolicyResource {
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
        return Panache.withSession(() -> repository.policy()).map(PolicyDocument::of);
    }

    @PUT
    @RolesAllowed("czar")
    @Operation(summary = "Replaces the policy; every open proposal is re-evaluated against it at once")
    public Uni<PolicyDocument> put(@Valid @NotNull PolicyDocument body) {
        return Panache.withTransaction(() -> repository.lockPolicy().flatMap(current -> {
                    Policy next = body.toPolicy(current.version() + 1);
                    // The policy is an aggregate of its own: version n is its event n - 1.
                    return store.append(PolicyChanged.POLICY_SUBJECT, current.version() - 1, Caller.subject(token),
                                    List.of(next.toEvent()))
                            .flatMap(appended -> repository.savePolicy(next))
                            .flatMap(saved -> repository.allOpenDue(clock.instant()))
                            .replaceWith(next);
                }))
                .call(next -> deadlines.fireAll())
                .map(PolicyDocument::of);
    }
}
