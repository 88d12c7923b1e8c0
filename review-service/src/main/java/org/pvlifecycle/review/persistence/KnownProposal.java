package org.pvlifecycle.review.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.pvlifecycle.events.Stage;

import java.time.Instant;

/** A proposal as the review service learnt it from proposal and consensus events. */
@Entity
@Table(name = "known_proposals")
public class KnownProposal extends PanacheEntityBase {
    @Id
    @Column(name = "proposal_id")
    public String proposalId;

    @Column(nullable = false)
    public String owner;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Stage stage;

    /** Comma-separated component slugs. */
    @Column(nullable = false)
    public String components;

    @Enumerated(EnumType.STRING)
    @Column(name = "window_stage")
    public Stage windowStage;

    @Column(name = "window_ends_at")
    public Instant windowEndsAt;
}
