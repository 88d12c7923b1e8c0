package org.pvlifecycle.review.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An objection the consensus service declared lapsed. */
@Entity
@Table(name = "objection_lapses")
public class ObjectionLapse extends PanacheEntityBase {
    @Id
    @Column(name = "objection_id")
    public String objectionId;

    @Column(name = "proposal_id", nullable = false)
    public String proposalId;

    @Column(name = "lapsed_at", nullable = false)
    public Instant lapsedAt;
}
