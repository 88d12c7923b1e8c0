package org.pvlifecycle.review.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.review.domain.ProposalFacts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads the facts a review decision needs; records them as the handlers learn them. */
@ApplicationScoped
public class ReviewFactsRepository {

    /** The facts about a proposal, or null while its submission has not been consumed. */
    public Uni<ProposalFacts> facts(String proposalId) {
        return Panache.withSession(() -> KnownProposal.<KnownProposal>findById(proposalId)
                .flatMap(p -> p == null ? Uni.createFrom().nullItem()
                        : ReviewPolicy.<ReviewPolicy>findById(ReviewPolicy.SINGLETON).map(policy -> new ProposalFacts(
                                p.owner, p.stage, List.of(p.components.split(",")),
                                p.windowStage == p.stage ? p.windowEndsAt : null,
                                policy == null ? ProposalFacts.DEFAULT_RESPONSE_WINDOW : Duration.parse(policy.responseWindow),
                                policy != null && policy.lateObjectionsBlock))));
    }

    public Uni<Boolean> lateObjectionsBlock() {
        return Panache.withSession(() -> ReviewPolicy.<ReviewPolicy>findById(ReviewPolicy.SINGLETON)
                .map(policy -> policy != null && policy.lateObjectionsBlock));
    }

    public Uni<Map<String, Instant>> lapses(String proposalId) {
        return Panache.withSession(() -> ObjectionLapse.<ObjectionLapse>list("proposalId", proposalId)
                .map(list -> list.stream().collect(Collectors.toMap(l -> l.objectionId, l -> l.lapsedAt))));
    }

    // The writers below run inside a consumer's transaction, with its inbox row.

    public Uni<Void> submitted(String proposalId, String owner, List<String> components) {
        return KnownProposal.<KnownProposal>findById(proposalId).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            KnownProposal p = new KnownProposal();
            p.proposalId = proposalId;
            p.owner = owner;
            p.stage = Stage.DESIGN;
            p.components = String.join(",", components);
            return p.persist().replaceWithVoid();
        });
    }

    public Uni<Void> stage(String proposalId, Stage stage) {
        return KnownProposal.<KnownProposal>findById(proposalId).invoke(p -> {
            if (p != null) {
                p.stage = stage;
            }
        }).replaceWithVoid();
    }

    public Uni<Void> window(String proposalId, Stage stage, Instant windowEndsAt) {
        return KnownProposal.<KnownProposal>findById(proposalId).invoke(p -> {
            if (p != null) {
                p.windowStage = stage;
                p.windowEndsAt = windowEndsAt;
            }
        }).replaceWithVoid();
    }

    public Uni<Void> policy(long version, PolicyChanged policy) {
        return ReviewPolicy.<ReviewPolicy>findById(ReviewPolicy.SINGLETON).flatMap(existing -> {
            if (existing != null && existing.version >= version) {
                return Uni.createFrom().voidItem();
            }
            ReviewPolicy row = existing != null ? existing : new ReviewPolicy();
            row.id = ReviewPolicy.SINGLETON;
            row.version = version;
            row.responseWindow = policy.responseWindow().toString();
            row.lateObjectionsBlock = policy.lateObjectionsBlock();
            return row.persist().replaceWithVoid();
        });
    }

    public Uni<Void> lapsed(String proposalId, String objectionId, Instant at) {
        return ObjectionLapse.<ObjectionLapse>findById(objectionId).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            ObjectionLapse lapse = new ObjectionLapse();
            lapse.objectionId = objectionId;
            lapse.proposalId = proposalId;
            lapse.lapsedAt = at;
            return lapse.persist().replaceWithVoid();
        });
    }

}
