package org.pvlifecycle.proposal.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.pvlifecycle.events.Stage;

import java.time.Instant;

/** The consensus service's last word on a proposal's review window. */
@Entity
@Table(name = "review_windows")
public class ReviewWindow extends PanacheEntityBase {
    @Id
    @Column(name = "proposal_id")
    public String proposalId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Stage stage;

    @Column(name = "window_ends_at")
    public Instant windowEndsAt;

    @Column(name = "announced_at", nullable = false)
    public Instant announcedAt;
}
